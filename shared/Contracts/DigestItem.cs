namespace ContextPush.Contracts;

/// <summary>One account in a digest: the delta and its assembled story. Part of <see cref="DigestApproved"/>.</summary>
/// <param name="Delta">The delta as Detector published it.</param>
/// <param name="Context">The owner, tickets, wording and links Assembler put together.</param>
public sealed record DigestItem(DeltaDetected Delta, AssembledContext Context);
