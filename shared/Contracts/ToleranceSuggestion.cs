namespace ContextPush.Contracts;

/// <summary>
/// A tolerance for one metric that would have kept every change people acted on and dropped most of the
/// changes they ignored. Entered accounts are sent whatever the tolerance, so only changes count.
/// </summary>
/// <param name="Metric">The metric, by its name in the push file.</param>
/// <param name="Field">"tolerance" (absolute) or "relative_tolerance", to be the metric's only tolerance.</param>
/// <param name="Value">The suggested value.</param>
/// <param name="ActedOn">Changes acted on that this metric alone made changes: all kept.</param>
/// <param name="Dropped">Ignored changes it would not have sent.</param>
/// <param name="Ignored">All ignored changes of the period.</param>
public sealed record ToleranceSuggestion(string Metric, string Field, decimal Value, int ActedOn, int Dropped, int Ignored);
