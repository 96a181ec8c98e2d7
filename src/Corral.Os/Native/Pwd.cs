using System.Runtime.InteropServices;

namespace Corral.Os.Native;

/// <summary>pwd.h and grp.h: user and group database look-ups (NSS-aware, reentrant).</summary>
public static unsafe partial class Pwd
{
    [StructLayout(LayoutKind.Sequential)]
    public struct passwd
    {
        public byte* pw_name;
        public byte* pw_passwd;
        public uint pw_uid;
        public uint pw_gid;
        public byte* pw_gecos;
        public byte* pw_dir;
        public byte* pw_shell;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct group
    {
        public byte* gr_name;
        public byte* gr_passwd;
        public uint gr_gid;
        public byte** gr_mem;
    }

    // These return the error number (0 with a null result means "no such entry").
    [LibraryImport(Libc.Name, EntryPoint = "getpwnam_r")]
    public static partial int getpwnam_r(byte* name, passwd* pwd, byte* buf, nint buflen, passwd** result);

    [LibraryImport(Libc.Name, EntryPoint = "getpwuid_r")]
    public static partial int getpwuid_r(uint uid, passwd* pwd, byte* buf, nint buflen, passwd** result);

    [LibraryImport(Libc.Name, EntryPoint = "getgrnam_r")]
    public static partial int getgrnam_r(byte* name, group* grp, byte* buf, nint buflen, group** result);

    [LibraryImport(Libc.Name, EntryPoint = "getgrouplist")]
    public static partial int getgrouplist(byte* user, uint group, uint* groups, int* ngroups);
}
