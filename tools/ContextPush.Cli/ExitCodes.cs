namespace ContextPush.Cli;

/// <summary>What a CI step can tell apart: a finding in the files is not a broken invocation or an outage.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An invalid push, a failed run: the thing checked is wrong.</summary>
    public const int Problems = 1;

    /// <summary>The command line itself is wrong: unknown option, missing argument, no such file.</summary>
    public const int Usage = 2;

    /// <summary>A service or warehouse could not be reached: nothing was checked, so nothing is known.</summary>
    public const int Unreachable = 3;
}
