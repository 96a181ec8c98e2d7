using System.Runtime.InteropServices;
using Corral.Os.Native;
using Corral.Os.Spawning;

namespace Corral.Os.Spawning;

/// <summary>A resolved identity: uid, primary gid, supplementary groups, home directory.</summary>
public sealed record Identity(uint Uid, uint Gid, uint[] Groups, string? Home);

/// <summary>User and group look-ups through the C library (so NSS and /etc/passwd both work).</summary>
public static unsafe class Accounts
{
    const int BufferSize = 16 * 1024;

    /// <summary>
    /// Resolves "USER" and optional "GROUP" (names or numbers) as gosu does: a known user gets
    /// its primary group and supplementary groups; an explicit group replaces them all; a bare
    /// numeric uid not in the database runs with gid 0… unless a group is given.
    /// </summary>
    public static Identity? Resolve(string? user, string? group, out string error)
    {
        error = "";
        uint uid = Unistd.getuid(), gid = 0;
        string? name = null, home = null;
        if (user is not null)
        {
            if (!LookUpUser(user, out uid, out gid, out name, out home))
            {
                if (!uint.TryParse(user, out uid)) { error = $"no such user '{user}'"; return null; }
                gid = uid == 0 ? 0 : uid;
            }
        }
        uint[] groups;
        if (group is not null)
        {
            if (!LookUpGroup(group, out gid))
            {
                if (!uint.TryParse(group, out gid)) { error = $"no such group '{group}'"; return null; }
            }
            groups = [gid];
        }
        else groups = name is null ? [gid] : GroupList(name, gid);
        return new Identity(uid, gid, groups, home);
    }

    static bool LookUpUser(string user, out uint uid, out uint gid, out string? name, out string? home)
    {
        uid = gid = 0;
        name = home = null;
        var buf = (byte*)NativeMemory.Alloc(BufferSize);
        var key = NativeStrings.Utf8(user);
        try
        {
            Pwd.passwd pw;
            Pwd.passwd* result = null;
            if (uint.TryParse(user, out var numeric))
                Pwd.getpwuid_r(numeric, &pw, buf, BufferSize, &result);
            else
                Pwd.getpwnam_r(key, &pw, buf, BufferSize, &result);
            if (result == null) return false;
            uid = pw.pw_uid;
            gid = pw.pw_gid;
            name = Marshal.PtrToStringUTF8((IntPtr)pw.pw_name);
            home = Marshal.PtrToStringUTF8((IntPtr)pw.pw_dir);
            return true;
        }
        finally
        {
            NativeMemory.Free(key);
            NativeMemory.Free(buf);
        }
    }

    static bool LookUpGroup(string group, out uint gid)
    {
        gid = 0;
        if (uint.TryParse(group, out gid)) return true;
        var buf = (byte*)NativeMemory.Alloc(BufferSize);
        var key = NativeStrings.Utf8(group);
        try
        {
            Pwd.group gr;
            Pwd.group* result = null;
            Pwd.getgrnam_r(key, &gr, buf, BufferSize, &result);
            if (result == null) return false;
            gid = gr.gr_gid;
            return true;
        }
        finally
        {
            NativeMemory.Free(key);
            NativeMemory.Free(buf);
        }
    }

    static uint[] GroupList(string user, uint gid)
    {
        var key = NativeStrings.Utf8(user);
        try
        {
            var n = 64;
            while (true)
            {
                var groups = new uint[n];
                var count = n;
                fixed (uint* g = groups)
                {
                    if (Pwd.getgrouplist(key, gid, g, &count) >= 0) return groups[..count];
                }
                if (count <= n) return [gid];
                n = count;
            }
        }
        finally
        {
            NativeMemory.Free(key);
        }
    }
}
