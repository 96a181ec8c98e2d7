using Corral.Tests.Infrastructure;

namespace Corral.Tests.Init;

/// <summary>Corral on a terminal, as under <c>docker run -it</c>: the program owns the terminal.</summary>
public class TerminalTests
{
    static Result OnTerminal(string ready, string typed, params string[] command) =>
        Run.Exec("python3", [Helpers.Path("pty-run.py"), ready, typed, .. command]);

    [Theory]
    [InlineData("corral")]
    [InlineData("tini")]
    public void Ctrl_C_at_the_terminal_interrupts_the_program_and_corral_exits_130(string personality)
    {
        var binary = personality == "corral" ? CorralBinary.Path : CorralBinary.As(personality);
        // exec: a shell waiting for a foreground job briefly catches SIGINT itself (the same
        // happens under the real tini), so the program waits alone.
        var r = OnTerminal("ready", "\\x03", binary, "-s", "--", "sh", "-c", "echo ready; exec sleep 100");
        Assert.EndsWith("exit=130", r.Stdout.Trim());
    }

    [Theory]
    [InlineData("corral")]
    [InlineData("tini")]
    public void The_program_can_read_from_the_terminal(string personality)
    {
        var binary = personality == "corral" ? CorralBinary.Path : CorralBinary.As(personality);
        var r = OnTerminal("ready", "hello\\n", binary, "-s", "--", "sh", "-c", "echo ready; read x; echo got:$x; exit 4");
        Assert.Contains("got:hello", r.Stdout);
        Assert.EndsWith("exit=4", r.Stdout.Trim());
    }

    [Fact]
    public void The_program_leads_the_terminals_foreground_process_group()
    {
        var r = OnTerminal("ready", "\\n", CorralBinary.Path, "-s", "--", "sh", "-c",
            "echo ready; read x; echo pgid:$(ps -o pgid= -p $$ | tr -d ' ') tpgid:$(ps -o tpgid= -p $$ | tr -d ' ')");
        var line = r.Stdout.Split('\n').Single(l => l.StartsWith("pgid:", StringComparison.Ordinal));
        var parts = line.Split(' ');
        Assert.Equal(parts[0][5..], parts[1][6..]);
    }

    [Theory]
    [InlineData]
    [InlineData("-c")]
    public void Under_dumb_init_an_interactive_shell_gets_the_terminal_and_job_control(params string[] flags)
    {
        var r = OnTerminal("ready", "\\n", [CorralBinary.As("dumb-init"), .. flags, "bash", "--norc", "-i", "-c",
            "echo ready; read x; echo flags=$-; echo pgid:$(ps -o pgid= -p $$ | tr -d ' ') tpgid:$(ps -o tpgid= -p $$ | tr -d ' '); exit 3"]);
        Assert.EndsWith("exit=3", r.Stdout.Trim());
        Assert.DoesNotContain("no job control", r.Stdout);
        var line = r.Stdout.Split('\n').Single(l => l.StartsWith("pgid:", StringComparison.Ordinal));
        var parts = line.Split(' ');
        Assert.Equal(parts[0][5..], parts[1][6..]);
    }

    [Fact]
    public void Dumb_init_ignores_the_hangup_of_its_own_terminal_hand_off_and_forwards_later_ones()
    {
        // The child sends its HUP once the hand-off signals were taken (the newline is typed when
        // the last of them is said), so the two HUPs cannot merge into one.
        var r = OnTerminal("Ignoring tty hand-off signal 18.", "\\n", CorralBinary.As("dumb-init"), "-v", "sh", "-c", "read x; kill -HUP $PPID; sleep 5");
        Assert.Contains("[dumb-init] Ignoring tty hand-off signal 1.", r.Stdout);
        Assert.Contains("[dumb-init] Ignoring tty hand-off signal 18.", r.Stdout);
        Assert.Contains("[dumb-init] Forwarded signal 1 to children.", r.Stdout);
        Assert.DoesNotContain("Forwarded signal 18 to children.", r.Stdout);
        Assert.EndsWith("exit=129", r.Stdout.Trim());
    }
}
