namespace Corral.Core.Compat.Supervisord;

/// <summary>supervisord's fault codes (supervisor/xmlrpc.py, class Faults): supervisorctl decides what to print by them.</summary>
public static class Faults
{
    public const int UnknownMethod = 1;
    public const int IncorrectParameters = 2;
    public const int BadArguments = 3;
    public const int SignatureUnsupported = 4;
    public const int ShutdownState = 6;
    public const int BadName = 10;
    public const int BadSignal = 11;
    public const int NoFile = 20;
    public const int NotExecutable = 21;
    public const int Failed = 30;
    public const int AbnormalTermination = 40;
    public const int SpawnError = 50;
    public const int AlreadyStarted = 60;
    public const int NotRunning = 70;
    public const int Success = 80;
    public const int AlreadyAdded = 90;
    public const int StillRunning = 91;
    public const int CantReread = 92;

    public static string Name(int code) => code switch
    {
        UnknownMethod => "UNKNOWN_METHOD",
        IncorrectParameters => "INCORRECT_PARAMETERS",
        BadArguments => "BAD_ARGUMENTS",
        SignatureUnsupported => "SIGNATURE_UNSUPPORTED",
        ShutdownState => "SHUTDOWN_STATE",
        BadName => "BAD_NAME",
        BadSignal => "BAD_SIGNAL",
        NoFile => "NO_FILE",
        NotExecutable => "NOT_EXECUTABLE",
        Failed => "FAILED",
        AbnormalTermination => "ABNORMAL_TERMINATION",
        SpawnError => "SPAWN_ERROR",
        AlreadyStarted => "ALREADY_STARTED",
        NotRunning => "NOT_RUNNING",
        Success => "SUCCESS",
        AlreadyAdded => "ALREADY_ADDED",
        StillRunning => "STILL_RUNNING",
        CantReread => "CANT_REREAD",
        _ => "UNKNOWN",
    };

    /// <summary>A fault as supervisord words it: "BAD_NAME: nosuch", or the bare name without detail.</summary>
    public static XmlRpcFault Of(int code, string? detail = null) =>
        new(code, detail is null ? Name(code) : $"{Name(code)}: {detail}");
}
