namespace Corral.Os.Logging;

/// <summary>Plain words for the I/O exceptions users meet; see <see cref="Core.Config.FileProblems"/>.</summary>
public static class Problems
{
    public static string Describe(Exception e) => Core.Config.FileProblems.Describe(e);
}
