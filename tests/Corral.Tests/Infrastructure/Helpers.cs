namespace Corral.Tests.Infrastructure;

/// <summary>Paths of the shell helpers copied next to the tests.</summary>
public static class Helpers
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Helpers", name);

    public static string TrapReport => Path("trap-report.sh");
    public static string GroupReport => Path("group-report.sh");
    public static string Orphans => Path("orphans.sh");
}

/// <summary>Linux signal numbers used by the tests.</summary>
public static class Sig
{
    public const int HUP = 1, INT = 2, QUIT = 3, KILL = 9, USR1 = 10, USR2 = 12, ALRM = 14, TERM = 15,
        CHLD = 17, CONT = 18, STOP = 19, TSTP = 20, TTIN = 21, TTOU = 22, WINCH = 28;

    public static int Parse(string name) => name switch
    {
        "HUP" => HUP, "INT" => INT, "QUIT" => QUIT, "USR1" => USR1, "USR2" => USR2, "ALRM" => ALRM,
        "TERM" => TERM, "WINCH" => WINCH, "CONT" => CONT, "TSTP" => TSTP,
        _ => throw new ArgumentException(name),
    };
}
