using System.Text;
using System.Text.RegularExpressions;
using Corral.Core.Tests.Source;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// Seed inputs for the mutating fuzzers: the repository's example and fixtures, a few small
/// configs of each format written here, and the requests the real supervisorctl sent in the
/// golden transcripts (../shared/compat, beside the repository; left out where it is not).
/// </summary>
internal static partial class Corpus
{
    static string Repo(string path) => File.ReadAllText(Path.Combine(SourceFiles.Root, path));

    static string? Shared(string path)
    {
        var full = Path.Combine(SourceFiles.Root, "..", "shared", path);
        return File.Exists(full) ? File.ReadAllText(full) : null;
    }

    public static readonly string[] Yaml =
    [
        Repo("examples/corral.yaml"),
        "services:\n  web:\n    command: [app, --port, \"8080\"]\n    restart: always\n",
        "services:\n  a:\n    command: echo hi\n    depends_on: [b]\n  b:\n    type: oneshot\n    command: [\"true\"]\n",
        "x-defaults: &d\n  restart: on-failure\n  stop_signal: TERM\nservices:\n  web:\n    <<: *d\n    command: app\n    environment:\n      PORT: ${PORT:-80}\n      A: $$B\n",
        "services:\n  web:\n    command: app\n    healthcheck:\n      test: [CMD, curl, -f, http://localhost]\n      interval: 1s\n    readiness:\n      tcp: 8080\n    replicas: 2\n",
        "shutdown_timeout: 5s\nlog_format: json\ncolor: never\ncontrol:\n  socket: /run/c.sock\nservices:\n  w:\n    command: [a]\n    depends_on:\n      b:\n        condition: service_healthy\n  b:\n    command: b\n",
        "services: {a: {command: [x, y], environment: [A=1, B=2], user: nobody, working_dir: /tmp}}\n",
    ];

    public static string[] Supervisord =>
    [
        Repo("tests/Corral.Core.Tests/Config/Supervisord/TranscriptsSupervisord.conf.txt"),
        .. Shared("compat/supervisor/transcripts/supervisord.conf") is { } conf ? [conf] : Array.Empty<string>(),
        "[supervisord]\nnodaemon=true\n\n[program:web]\ncommand=/usr/bin/app --port %(ENV_PORT)s\nautorestart=true\nstartsecs=5\n",
        "[supervisord]\nenvironment=A=\"1\",B='x,y'\numask=022\n[program:w]\ncommand=sleep 1000\nprocess_name=%(program_name)s_%(process_num)02d\nnumprocs=3\nnumprocs_start=1\n[group:g]\nprograms=w\npriority=5\n",
        "[supervisord]\n[program:a]\ncommand = sh -c 'echo a'\n    --continued\nstdout_logfile=/var/log/a.log\nstdout_logfile_maxbytes=1MB\nstderr_logfile=NONE\nexitcodes=0,2\nstopsignal=INT\n[include]\nfiles = conf.d/*.conf\n",
        "[unix_http_server]\nfile=/tmp/s.sock\nchmod=0700\n[inet_http_server]\nport=127.0.0.1:9001\nusername=u\npassword=p\n[supervisord]\n[program:x]\ncommand=x\n",
    ];

    public static readonly string[] Procfile =
    [
        "web: bundle exec rails server -p $PORT\nworker: bundle exec sidekiq\n",
        "# comment\nweb: node app.js\n\nclock: ruby clock.rb\nweb2:python -m http.server\n",
    ];

    public static readonly string[] Dotenv =
    [
        "A=1\nexport B=two # comment\nC='single $x'\nD=\"double\\n\\\"q\\\"\"\n# c\nE=\"multi\nline\"\n",
        "KEY=value\nEMPTY=\n  SPACED = yes \nQUOTED='a # not a comment'\n",
    ];

    public static readonly string[] Interpolation =
    [
        "${A}", "$A and ${B:-default}", "${A-x}${B:?required}", "${A:+set}${B+x}", "$$A", "${A:-${B:-${C}}}", "${", "$1 $( ${}",
    ];

    /// <summary>Every request supervisorctl and the capture's Python client sent to supervisord (whole HTTP requests, CRLFs kept).</summary>
    public static IReadOnlyList<string> TranscriptRequests => transcriptRequests.Value;

    static readonly Lazy<List<string>> transcriptRequests = new(() =>
    {
        var found = new List<string>();
        var dir = Path.Combine(SourceFiles.Root, "..", "shared", "compat", "supervisor", "transcripts");
        if (!Directory.Exists(dir)) return found;
        foreach (var file in Directory.EnumerateFiles(dir, "*.txt").Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(file);
            var at = 0;
            while (at < bytes.Length)
            {
                var end = Array.IndexOf(bytes, (byte)'\n', at);
                if (end < 0) break;
                var header = Encoding.ASCII.GetString(bytes, at, end - at);
                at = end + 1;
                if (ChunkHeader().Match(header) is not { Success: true } m) continue;
                var length = int.Parse(m.Groups[2].Value);
                if (at + length > bytes.Length) break;
                if (m.Groups[1].Value == "c2s") found.Add(Encoding.UTF8.GetString(bytes, at, length));
                at += length;
            }
        }
        return found;
    });

    /// <summary>The XML-RPC bodies of the transcripts' POSTs.</summary>
    public static IReadOnlyList<string> XmlRpcBodies =>
        [.. TranscriptRequests.Where(r => r.StartsWith("POST", StringComparison.Ordinal)).Select(r => r[(r.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..])
            .Where(b => b.Contains("<methodCall>", StringComparison.Ordinal)).Distinct(), .. builtInCalls];

    static readonly string[] builtInCalls =
    [
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getState</methodName>\n<params>\n</params>\n</methodCall>\n",
        "<?xml version='1.0'?><methodCall><methodName>system.multicall</methodName><params><param><value><array><data><value><struct><member><name>methodName</name><value><string>supervisor.getPID</string></value></member><member><name>params</name><value><array><data/></array></value></member></struct></value></data></array></value></param></params></methodCall>",
        "<methodCall><methodName>x</methodName><params><param><value><i4>1</i4></value></param><param><value><boolean>1</boolean></value></param><param><value><double>1.5</double></value></param><param><value><base64>aGk=</base64></value></param><param><value>&lt;&amp;&#65;&#x42;</value></param><param><value><nil/></value></param></params></methodCall>",
    ];

    [GeneratedRegex(@"^### conn=\d+ dir=(c2s|s2c) t=[\d.]+ len=(\d+)$")]
    private static partial Regex ChunkHeader();
}
