using System.Runtime.InteropServices;
using Corral.Os.Native;

namespace Corral.Os.Signals;

/// <summary>glibc's descriptions of signals ("Terminated", "User defined signal 1"), as tini prints them.</summary>
public static class SignalText
{
    public static string Describe(int signal) =>
        Marshal.PtrToStringUTF8(StringH.strsignal(signal)) ?? $"Unknown signal {signal}";
}
