using System.Text;
using Corral.Core.Model;
using Corral.Core.Model.Services;

namespace Corral.Core.Tests.Model;

public class LogRotationTests
{
    static int Fitting(string lines, long size, long max) => LogRotation.Fitting(Encoding.ASCII.GetBytes(lines), size, max);

    [Theory]
    [InlineData("aa\nbb\ncc\n", 0, 0, 9)]     // no limit: everything
    [InlineData("aa\nbb\ncc\n", 0, 9, 9)]     // exactly the limit fits
    [InlineData("aa\nbb\ncc\n", 0, 8, 6)]     // whole lines only
    [InlineData("aa\nbb\ncc\n", 4, 8, 3)]
    [InlineData("aa\nbb\ncc\n", 6, 8, 0)]     // not even one line: rotate first
    [InlineData("aa\nbb\ncc\n", 9, 8, 0)]     // already past the limit
    [InlineData("aaaaaaaaaa\nb\n", 0, 4, 11)] // a line longer than the limit goes alone into an empty file
    [InlineData("aaaaaaaaaa\nb\n", 1, 4, 0)]  // ... but never after other lines
    public void Only_whole_lines_that_keep_the_file_within_max_bytes_fit(string lines, long size, long max, int expected)
    {
        Assert.Equal(expected, Fitting(lines, size, max));
    }

    [Fact]
    public void Rotation_renames_the_oldest_first_and_the_current_file_last_as_supervisord_does()
    {
        Assert.Equal([("/l/a.log.2", "/l/a.log.3"), ("/l/a.log.1", "/l/a.log.2"), ("/l/a.log", "/l/a.log.1")], LogRotation.Renames("/l/a.log", 3));
        Assert.Equal([("/l/a.log", "/l/a.log.1")], LogRotation.Renames("/l/a.log", 1));
        Assert.Empty(LogRotation.Renames("/l/a.log", 0));
    }

    [Theory]
    [InlineData("1024", 1024)]
    [InlineData("64KB", 64 << 10)]
    [InlineData("10MB", 10 << 20)]
    [InlineData("10 mb", 10 << 20)]
    [InlineData("2MiB", 2 << 20)]
    [InlineData("1GB", 1L << 30)]
    [InlineData("0", 0)]
    public void Sizes_are_read_in_powers_of_1024(string text, long bytes)
    {
        Assert.True(ByteSizes.TryParse(text, out var read));
        Assert.Equal(bytes, read);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-1")]
    [InlineData("1.5MB")]
    [InlineData("MB")]
    [InlineData("99999999999999GB")]
    public void Other_sizes_are_refused(string text)
    {
        Assert.False(ByteSizes.TryParse(text, out _));
    }
}
