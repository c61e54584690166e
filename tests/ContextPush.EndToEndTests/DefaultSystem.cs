namespace ContextPush.EndToEndTests;

/// <summary>
/// The test classes that need only the default system share one: each start of five services costs some
/// 30 s of CPU on two cores. Their tests keep apart by delta, and the collection runs them one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class DefaultSystem : ICollectionFixture<SharedContextPush>
{
    public const string Name = "Default system";
}
