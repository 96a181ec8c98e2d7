using Corral.Tests.Control;
using Corral.Tests.Infrastructure;

namespace Corral.Tests.Supervisor;

/// <summary>Log files: rotation by size, a copy to Corral's own output, reopening, and a disk that is full.</summary>
public class LogFileTests
{
    /// <summary>"line 000001" … as seq prints them: 12 bytes a line.</summary>
    static int[] Numbers(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => int.Parse(l["line ".Length..], System.Globalization.CultureInfo.InvariantCulture))];

    [Fact]
    public void Rotation_keeps_backups_named_as_supervisord_names_them_each_within_max_bytes_with_no_line_split_or_lost()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: seq -f 'line %06g' 1 5000
                main: true
                logs:
                  stdout: {file: ./app.log, max_bytes: 4KB, backups: 3}
            """);
        var r = Run.Exec(CorralBinary.Path, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.DoesNotContain("line 000001", r.Stdout);
        // 341 whole lines of 12 bytes fit in 4096; the 5000 lines made 14 full files and 226 lines.
        foreach (var old in new[] { "app.log.1", "app.log.2", "app.log.3" })
            Assert.Equal(341 * 12, new FileInfo(dir.File(old)).Length);
        Assert.False(File.Exists(dir.File("app.log.4")));
        Assert.Equal(226 * 12, new FileInfo(dir.File("app.log")).Length);
        int[] kept = [.. Numbers(dir.Read("app.log.3")), .. Numbers(dir.Read("app.log.2")), .. Numbers(dir.Read("app.log.1")), .. Numbers(dir.Read("app.log"))];
        Assert.Equal(Enumerable.Range(5000 - kept.Length + 1, kept.Length), kept);
    }

    [Fact]
    public void A_service_that_writes_faster_than_its_file_is_written_loses_no_line()
    {
        // About 7 MB at once: more than the writer may have waiting (1 MB), so the pump holds
        // the pipe back instead of dropping anything.
        var dir = new ConfigDir("""
            services:
              app:
                command: seq 1 1000000
                main: true
                logs:
                  stdout: {file: ./app.log, max_bytes: 1GB}
            """);
        Assert.Equal(0, Run.Exec(CorralBinary.Path, "run", "-c", dir.Config).Code);
        var lines = dir.Lines("app.log");
        Assert.Equal(1000000, lines.Length);
        Assert.Equal("1000000", lines[^1]);
    }

    [Fact]
    public void Without_backups_the_file_is_truncated_when_full()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: seq -f 'line %06g' 1 100
                main: true
                logs:
                  stdout: {file: ./app.log, max_bytes: 120, backups: 0}
            """);
        Assert.Equal(0, Run.Exec(CorralBinary.Path, "run", "-c", dir.Config).Code);
        Assert.False(File.Exists(dir.File("app.log.1")));
        // 10 lines a file: the last file holds lines 91 to 100.
        Assert.Equal(Enumerable.Range(91, 10), Numbers(dir.Read("app.log")));
    }

    [Fact]
    public void Also_stdout_writes_each_line_to_the_file_and_to_corrals_stdout()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sh -c 'echo one; echo two; echo three >&2'
                main: true
                logs:
                  stdout: {file: ./out.log, also_stdout: true}
                  stderr: {file: ./err.log, max_bytes: 1MB}
            """);
        var r = Run.Exec(CorralBinary.Path, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        Assert.Equal("one\ntwo\n", dir.Read("out.log"));
        Assert.Equal(["app | one", "app | two"], r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("three\n", dir.Read("err.log"));
        Assert.DoesNotContain("three", r.Stderr);
    }

    [Fact]
    public void A_log_file_whose_directory_is_missing_is_said_once_and_the_service_runs_all_the_same()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sh -c 'echo lost; echo also-lost; echo kept >&2'
                main: true
                logs:
                  stdout: ./missing/app.log
            """);
        var r = Run.Exec(CorralBinary.Path, "run", "-c", dir.Config);
        Assert.Equal(0, r.Code);
        var said = r.Stderr.Split('\n').Where(l => l.Contains("cannot open log file", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(said);
        Assert.Contains($"app: cannot open log file {dir.File("missing/app.log")}: its directory {dir.File("missing")} does not exist", line);
        Assert.Contains("app | kept", r.Stderr);
    }

    [Fact]
    public void Ctl_logs_reopen_after_logrotate_moved_the_file_makes_a_new_one()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sh -c 'i=0; while :; do i=$((i+1)); echo tick $$i; sleep 0.02; done'
                logs:
                  stdout: {file: ./app.log, max_bytes: 1MB}
            """);
        using var c = Controlled.Start(dir.Config);
        Wait.Until(() => dir.Read("app.log").Contains("tick 2\n", StringComparison.Ordinal), null, "lines in app.log");
        File.Move(dir.File("app.log"), dir.File("app.log.old"));
        var r = c.Ctl("logs", "--reopen");
        Assert.Equal(0, r.Code);
        Assert.Contains("reopening 1 log file", r.Stdout);
        Wait.Until(() => dir.Lines("app.log").Length >= 2, null, "a new app.log");
        // The old file ends where the new one begins: nothing lost in between.
        var last = int.Parse(dir.Lines("app.log.old")[^1]["tick ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        var first = int.Parse(dir.Lines("app.log")[0]["tick ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(last + 1, first);
        Assert.Equal(0, c.Stop());
    }

    [Fact]
    public void Ctl_logs_reopen_names_a_file_that_is_the_processs_own_descriptor()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sleep 100
                logs:
                  stdout: ./app.log
            """);
        using var c = Controlled.Start(dir.Config);
        var r = c.Ctl("logs", "--reopen");
        Assert.Equal(0, r.Code);
        Assert.Contains("app: stdout goes straight to ./app.log", r.Stdout);
    }

    [Fact]
    public void SIGUSR2_is_forwarded_to_the_services_under_corral_yaml()
    {
        var dir = new ConfigDir("""
            services:
              app:
                command: sh -c 'trap "echo got-usr2" USR2; echo ready; while :; do sleep 0.05; done'
                logs:
                  stdout: {file: ./app.log, also_stdout: true}
            """);
        using var c = Controlled.Start(dir.Config);
        c.Run.WaitForLine("app | ready");
        c.Run.Signal(Sig.USR2);
        c.Run.WaitForLine("app | got-usr2");
        // The file has its own writer thread: the line may reach Corral's stdout first.
        Wait.Until(() => dir.Read("app.log") == "ready\ngot-usr2\n", null, "both lines in app.log");
    }

    [Fact]
    public void A_full_disk_drops_and_counts_that_files_lines_says_so_once_and_recovers_while_the_rest_goes_on()
    {
        var dir = new ConfigDir("""
            services:
              noisy:
                command: sh -c 'i=0; while :; do i=$((i+1)); echo "noise line $$i with some padding to fill the disk"; sleep 0.01; done'
                logs:
                  stdout: {file: ./full/noisy.log, max_bytes: 1MB}
              other:
                command: sh -c 'i=0; while :; do i=$((i+1)); echo tick $$i; sleep 0.02; done'
            """);
        var full = dir.File("full");
        Directory.CreateDirectory(full);
        Assert.Equal(0, Run.Exec("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full).Code);
        try
        {
            // Most of the disk is taken; removing this makes room again (the log file itself is
            // held open, so deleting it would free nothing).
            File.WriteAllBytes(Path.Combine(full, "filler"), new byte[48 * 1024]);
            using var c = Controlled.Start(dir.Config);
            Wait.Until(() => c.Run.Stderr.Contains("No space left on device: dropping its lines", StringComparison.Ordinal), null, "the full disk said");
            // Other services' output and supervision go on.
            var seen = c.Run.StdoutLines.Count(l => l.StartsWith("other | tick", StringComparison.Ordinal));
            Wait.Until(() => c.Run.StdoutLines.Count(l => l.StartsWith("other | tick", StringComparison.Ordinal)) > seen + 5, null, "other's lines");
            Assert.Equal(0, c.Ctl("restart", "other").Code);
            // Room again: the lines get through and the loss is counted.
            File.Delete(Path.Combine(full, "filler"));
            Wait.Until(() => c.Run.Stderr.Contains("No space left on device: dropped", StringComparison.Ordinal), null, "the count of dropped lines");
            // Said once for the episode (the disk may fill up again after it: a new episode).
            var said = c.Run.Stderr.Split('\n');
            var recovered = Array.FindIndex(said, l => l.Contains("No space left on device: dropped", StringComparison.Ordinal));
            Assert.Single(said[..recovered], l => l.Contains("dropping its lines", StringComparison.Ordinal));
            Assert.Matches(@"noisy: log file .*/full/noisy\.log: No space left on device: dropped [1-9][0-9]* lines", c.Run.Stderr);
            Assert.Equal(0, c.Stop());
        }
        finally
        {
            Run.Exec("umount", "-l", full);
        }
    }
}
