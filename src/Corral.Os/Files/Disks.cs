namespace Corral.Os.Files;

/// <summary>File systems as a whole.</summary>
public static class Disks
{
    /// <summary>sync(2): every file system's dirty data to its disk (s6-overlay's S6_SYNC_DISKS=1).</summary>
    public static void Sync() => Native.Unistd.sync();
}
