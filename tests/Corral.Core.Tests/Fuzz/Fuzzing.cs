using System.Collections.Immutable;
using System.Diagnostics;
using CsCheck;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Fuzz;

/// <summary>
/// Overview: how every fuzz test runs one reader on one generated input. A reader must answer
/// every input with a model or diagnostics: no exception but its documented error type, within
/// <see cref="CaseLimit"/>, with output bounded by its input. Each case runs on a thread of its
/// own with a deadline, so a hang is a failure with the input that caused it, not a stuck run.
/// The number of cases per test is small in CI; CORRAL_FUZZ_ITERATIONS sets it for long runs
/// (docs/reliability.md, "Bad input"), and CORRAL_FUZZ_SEED replays a run.
/// </summary>
internal static class Fuzzing
{
    /// <summary>
    /// A case that takes longer is a hang. Generous: a case takes milliseconds, but CI shares two
    /// cores with other work (a load of 20 was seen), and what was quadratic took minutes.
    /// </summary>
    public static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(
        double.TryParse(Environment.GetEnvironmentVariable("CORRAL_FUZZ_CASE_SECONDS"), out var s) ? s : 30);

    /// <summary>Cases per test: <paramref name="ci"/> unless CORRAL_FUZZ_ITERATIONS says otherwise.</summary>
    public static long Iterations(long ci) =>
        long.TryParse(Environment.GetEnvironmentVariable("CORRAL_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : ci;

    static string? Seed => Environment.GetEnvironmentVariable("CORRAL_FUZZ_SEED") is { Length: > 0 } seed ? seed : null;

    /// <summary>
    /// Runs <paramref name="read"/> on every generated input. <paramref name="allowed"/> is the
    /// reader's documented error type, if it has one; anything else it throws fails the test.
    /// </summary>
    public static void Check<T>(Gen<T> gen, Action<T> read, Func<T, string> show, long ci = 300, Type? allowed = null)
    {
        gen.Sample(input => Bounded(() => read(input), allowed), iter: Iterations(ci), threads: 1, seed: Seed,
            print: input => Shorten(show(input)));
    }

    /// <summary>Runs one case on a thread of its own (8 MB of stack, as Corral's main thread) with a deadline.</summary>
    public static void Bounded(Action action, Type? allowed = null)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            try { action(); }
            catch (Exception e) when (allowed is null || !allowed.IsInstanceOfType(e)) { thrown = e; }
            catch (Exception) { }
        }, 8 << 20) { IsBackground = true, Name = "fuzz case" };
        var clock = Stopwatch.StartNew();
        thread.Start();
        if (!thread.Join(CaseLimit))
            throw new TimeoutException($"the reader did not finish within {CaseLimit.TotalSeconds:0.#} s (a hang, or quadratic time)");
        if (thrown is not null) throw new InvalidOperationException($"the reader threw {thrown.GetType().Name} after {clock.ElapsedMilliseconds} ms: {thrown.Message}", thrown);
    }

    /// <summary>
    /// Every diagnostic names where it is (a file in <paramref name="files"/>, a line ≥ 0) and
    /// says something; together they stay within a bound of the input's size.
    /// </summary>
    public static void AssertDiagnostics(IEnumerable<Diagnostic> diagnostics, int inputLength, params string[] files)
    {
        long total = 0;
        foreach (var d in diagnostics)
        {
            if (files.Length > 0 && !files.Contains(d.Where.File) && !files.Any(f => d.Where.File.StartsWith(f, StringComparison.Ordinal)))
                throw new InvalidOperationException($"a diagnostic names no file of the input: {d}");
            if (d.Where.Line < 0) throw new InvalidOperationException($"a diagnostic has a negative line: {d}");
            if (string.IsNullOrWhiteSpace(d.Message)) throw new InvalidOperationException($"a diagnostic says nothing: {d}");
            total += d.ToString().Length;
        }
        AssertOutput(total, inputLength, "diagnostics");
    }

    /// <summary>Output larger than 64 characters per input character (and 1 MB) is unbounded growth.</summary>
    public static void AssertOutput(long size, int inputLength, string what)
    {
        var limit = 64L * inputLength + (1 << 20);
        if (size > limit) throw new InvalidOperationException($"{what}: {size} characters for {inputLength} of input (limit {limit})");
    }

    /// <summary>The services a config holds stay within a bound of its size.</summary>
    public static void AssertServices(SupervisorConfig? config, int inputLength)
    {
        if (config is null) return;
        AssertOutput(config.Services.Sum(s => s.Name.Length + s.Command.Sum(c => c.Length) + 64L), inputLength, "services");
    }

    /// <summary>Failing inputs in the test output: C#-escaped, cut in the middle when long.</summary>
    public static string Shorten(string text)
    {
        var escaped = string.Concat(text.Select(c => c switch
        {
            '\n' => "\\n", '\r' => "\\r", '\t' => "\\t", '\0' => "\\0", '"' => "\\\"", '\\' => "\\\\",
            _ when char.IsControl(c) || char.IsSurrogate(c) => $"\\u{(int)c:X4}",
            _ => c.ToString(),
        }));
        return escaped.Length <= 2000 ? $"\"{escaped}\"" : $"\"{escaped[..1000]}\" … ({escaped.Length} chars) … \"{escaped[^1000..]}\"";
    }

    public static ImmutableArray<string> Lines(string text) => [.. text.Split('\n')];
}
