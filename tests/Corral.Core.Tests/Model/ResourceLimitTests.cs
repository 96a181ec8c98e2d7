using Corral.Core.Model;

namespace Corral.Core.Tests.Model;

public sealed class ResourceLimitTests
{
    [Theory]
    [InlineData("nofile=1024", "nofile", 1024UL, 1024UL)]
    [InlineData("nofile=1024:4096", "nofile", 1024UL, 4096UL)]
    [InlineData("NOFILE=8", "nofile", 8UL, 8UL)]
    [InlineData("RLIMIT_NPROC=100", "nproc", 100UL, 100UL)]
    [InlineData("rlimit_core=0", "core", 0UL, 0UL)]
    [InlineData(" core = 5 ", "core", 5UL, 5UL)]
    [InlineData("stack=8388608:unlimited", "stack", 8388608UL, ulong.MaxValue)]
    public void Reads_name_soft_and_optional_hard(string text, string name, ulong soft, ulong hard)
    {
        Assert.True(ResourceLimit.TryParse(text, out var limit, out var error));
        Assert.Equal("", error);
        Assert.Equal(new ResourceLimit(name, soft, hard), limit);
    }

    [Theory]
    [InlineData("core=unlimited")]
    [InlineData("core=infinity")]
    [InlineData("core=-1")]
    [InlineData("core=UNLIMITED")]
    public void Reads_unlimited_infinity_and_minus_one_as_no_limit(string text)
    {
        Assert.True(ResourceLimit.TryParse(text, out var limit, out _));
        Assert.Equal(ResourceLimit.Unlimited, limit!.Soft);
        Assert.Equal(ResourceLimit.Unlimited, limit.Hard);
    }

    [Fact]
    public void Knows_every_setrlimit_resource_by_its_short_name()
    {
        Assert.Equal(16, ResourceLimit.Names.Length);
        foreach (var name in ResourceLimit.Names)
        {
            Assert.True(ResourceLimit.TryParse($"{name}=1", out var limit, out _), name);
            Assert.Equal(name, limit!.Resource);
        }
    }

    [Theory]
    [InlineData("nofile", "'nofile' is not NAME=SOFT[:HARD]")]
    [InlineData("=5", "'=5' is not NAME=SOFT[:HARD]")]
    [InlineData("files=5", "unknown resource 'files' (one of cpu, fsize, data, stack, core, rss, nproc, nofile, memlock, as, locks, sigpending, msgqueue, nice, rtprio, rttime)")]
    [InlineData("nofile=", "bad limit in 'nofile='")]
    [InlineData("nofile=lots", "bad limit in 'nofile=lots'")]
    [InlineData("nofile=1:2:3", "bad limit in 'nofile=1:2:3'")]
    [InlineData("nofile=1:x", "bad limit in 'nofile=1:x'")]
    [InlineData("nofile=-2", "bad limit in 'nofile=-2'")]
    [InlineData("nofile=4096:1024", "soft limit above hard limit in 'nofile=4096:1024'")]
    [InlineData("nofile=unlimited:1024", "soft limit above hard limit in 'nofile=unlimited:1024'")]
    public void Explains_what_is_wrong_with_a_bad_limit(string text, string expected)
    {
        Assert.False(ResourceLimit.TryParse(text, out var limit, out var error));
        Assert.Null(limit);
        Assert.Equal(expected, error);
    }
}
