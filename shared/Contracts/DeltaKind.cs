namespace ContextPush.Contracts;

/// <summary>What happened to a cohort row between two runs of a push.</summary>
public enum DeltaKind
{
    /// <summary>The row was not in the cohort at the previous run and is now.</summary>
    Entered = 0,

    /// <summary>The row stayed in the cohort and a watched metric moved beyond its tolerance.</summary>
    Changed = 1,

    /// <summary>The row was in the cohort and has left it: a resolution of an earlier card.</summary>
    Left = 2,
}
