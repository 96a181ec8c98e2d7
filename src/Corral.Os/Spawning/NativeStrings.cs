using System.Runtime.InteropServices;
using System.Text;

namespace Corral.Os.Spawning;

/// <summary>A null-terminated array of NUL-terminated UTF-8 strings in unmanaged memory (argv, envp).</summary>
public sealed unsafe class NativeStrings : IDisposable
{
    readonly byte** array;
    readonly int count;

    public NativeStrings(IReadOnlyList<string> strings)
    {
        count = strings.Count;
        array = (byte**)NativeMemory.AllocZeroed((nuint)(count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < count; i++) array[i] = Utf8(strings[i]);
    }

    public byte** Pointer => array;

    public byte* this[int index] => array[index];

    /// <summary>A NUL-terminated UTF-8 copy in unmanaged memory; free with NativeMemory.Free.</summary>
    public static byte* Utf8(string s)
    {
        var n = Encoding.UTF8.GetByteCount(s);
        var p = (byte*)NativeMemory.Alloc((nuint)n + 1);
        fixed (char* c = s) Encoding.UTF8.GetBytes(c, s.Length, p, n);
        p[n] = 0;
        return p;
    }

    public void Dispose()
    {
        for (var i = 0; i < count; i++) NativeMemory.Free(array[i]);
        NativeMemory.Free(array);
    }
}
