namespace Corral.Tests.Compat;

/// <summary>
/// The sections a supervisord.conf of the side-by-side tests starts with, read alike by the real
/// supervisord and by Corral: supervisord in the foreground as root, its log and pid file and
/// its control socket in dir, the XML-RPC interface, and supervisorctl pointed at the socket.
/// </summary>
public static class SupervisordConf
{
    public const string Supervisord = "/usr/bin/supervisord";
    public const string Supervisorctl = "/usr/bin/supervisorctl";

    public static string Header(string dir) => $"""
        [supervisord]
        nodaemon=true
        user=root
        logfile={dir}/supervisord.log
        pidfile={dir}/supervisord.pid

        [unix_http_server]
        file={dir}/supervisor.sock

        [rpcinterface:supervisor]
        supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

        [supervisorctl]
        serverurl=unix://{dir}/supervisor.sock

        """;
}
