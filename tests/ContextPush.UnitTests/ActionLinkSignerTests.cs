using ContextPush.Contracts;
using ContextPush.CardActions;
using Microsoft.Extensions.Options;

namespace ContextPush.UnitTests;

public class ActionLinkSignerTests
{
    private const string Key = "current-key-0123456789abcdefghijklmnop";
    private const string OldKey = "previous-key-0123456789abcdefghijklmno";
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly ActionLink Link = new(
        new CardButtonValue(Guid.Parse("0b1d9a4e-8c2f-8e3a-9b7c-5d6e7f801234"), Guid.NewGuid(), "churn-risk", "42", Now.ToUnixTimeSeconds()),
        CardAction.Reviewed, null, "ada@example.com", "email", Now.AddDays(14));

    private static ActionLinkSigner Signer(string? key, string? previous = null) =>
        new(Options.Create(new ActionLinkOptions { Key = key, PreviousKey = previous }));

    [Fact]
    public void A_signed_link_verifies_and_carries_its_action()
    {
        var token = Signer(Key).Sign(Link);

        Assert.Equal(Link, Signer(Key).Verify(token, Now, out var reason));
        Assert.Equal("", reason);
    }

    [Fact]
    public void A_link_with_any_altered_character_is_refused()
    {
        var token = Signer(Key).Sign(Link);
        var payload = token.Split('.')[1];
        var forged = Signer(Key).Sign(Link with { Action = CardAction.Snoozed, SnoozeDays = 365 }).Split('.')[1];

        Assert.Null(Signer(Key).Verify(token.Replace(payload, forged), Now, out var swapped));
        Assert.Contains("altered", swapped);
        Assert.Null(Signer(Key).Verify(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1], Now, out _));
        Assert.Null(Signer(Key).Verify("v1.not-a-token", Now, out var malformed));
        Assert.Contains("not one of ours", malformed);
    }

    [Fact]
    public void An_expired_link_is_refused()
    {
        var token = Signer(Key).Sign(Link);

        Assert.Null(Signer(Key).Verify(token, Link.ExpiresAt.AddSeconds(1), out var reason));
        Assert.Equal("this link has expired", reason);
    }

    [Fact]
    public void During_a_rotation_links_signed_with_the_previous_key_still_work_and_after_it_they_do_not()
    {
        var old = Signer(OldKey).Sign(Link);

        Assert.NotNull(Signer(Key, previous: OldKey).Verify(old, Now, out _));
        Assert.Null(Signer(Key).Verify(old, Now, out var reason));
        Assert.Contains("key we no longer accept", reason);
    }

    [Fact]
    public void Without_a_key_no_link_can_be_issued_or_accepted()
    {
        Assert.Throws<InvalidOperationException>(() => Signer(null).Sign(Link));
        Assert.Null(Signer(null).Verify(Signer(Key).Sign(Link), Now, out _));
    }
}
