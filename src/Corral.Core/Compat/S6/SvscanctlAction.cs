namespace Corral.Core.Compat.S6;

/// <summary>What an s6-svscanctl command means to Corral, weakest first (the strongest of several wins).</summary>
public enum SvscanctlAction { None, Reload, Shutdown }
