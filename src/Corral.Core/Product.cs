namespace Corral.Core;

/// <summary>What Corral says of itself: <c>corral version</c>, the status JSON, tini's and dumb-init's --version.</summary>
public static class Product
{
    public const string Version = "0.1.0";
}
