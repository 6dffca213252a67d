/* bcryptprimitives.dll for Wine 8: only ProcessPrng, which Wine 8 lacks.
 *
 * Rust's standard library (python-calamine and watchfiles are built with it) takes its
 * random bytes from ProcessPrng on Windows 10 and later, so those wheels fail to load
 * under Wine 8 without it. This stub asks advapi32's RtlGenRandom (SystemFunction036),
 * which Wine has, for the same bytes. It is placed beside python.exe by
 * tools/windows/test-windows and used only there (WINEDLLOVERRIDES=bcryptprimitives=n);
 * it never ships with eventsync.
 */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    /* RtlGenRandom takes a ULONG length; ask in pieces for anything larger. */
    while (length > 0) {
        ULONG piece = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!RtlGenRandom(data, piece))
            return FALSE;
        data += piece;
        length -= piece;
    }
    return TRUE;
}
