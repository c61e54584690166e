using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ContextPush.Testing.Servers;

/// <summary>The few calls of RabbitMQ's management HTTP API that we need.</summary>
public sealed class RabbitMqManagement : IDisposable
{
    private readonly HttpClient _http;

    public RabbitMqManagement(Uri managementUri)
    {
        var userInfo = Uri.UnescapeDataString(managementUri.UserInfo);
        _http = new HttpClient
        {
            BaseAddress = new Uri(managementUri.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = TimeSpan.FromSeconds(10),
        };
        _http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(userInfo)));
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            using var response = await _http.GetAsync("api/overview", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    public async Task CreateVirtualHostAsync(string vhost, string user, CancellationToken ct)
    {
        var name = Uri.EscapeDataString(vhost);
        using (var put = await _http.PutAsync($"api/vhosts/{name}", null, ct))
        {
            put.EnsureSuccessStatusCode();
        }

        using var permissions = await _http.PutAsync($"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"), ct);
        permissions.EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHostAsync(string vhost, CancellationToken ct)
    {
        using var response = await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}", ct);
    }

    public async Task<string> GetJsonAsync(string path, CancellationToken ct) => await _http.GetStringAsync(path, ct);

    /// <summary>A queue's figure ("messages", "consumers"…); 0 for a queue not declared yet.</summary>
    public async Task<long> QueueFigureAsync(string vhost, string queue, string figure, CancellationToken ct)
    {
        try
        {
            using var json = JsonDocument.Parse(await GetJsonAsync($"api/queues/{Uri.EscapeDataString(vhost)}/{queue}", ct));
            return json.RootElement.TryGetProperty(figure, out var value) ? value.GetInt64() : 0;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }

    /// <summary>Reads the queue's messages without taking them (they are requeued), with their headers and bodies.</summary>
    public async Task<JsonElement> PeekAsync(string vhost, string queue, int count, CancellationToken ct)
    {
        using var response = await _http.PostAsync($"api/queues/{Uri.EscapeDataString(vhost)}/{queue}/get",
            new StringContent($$"""{"count":{{count}},"ackmode":"ack_requeue_true","encoding":"auto"}""", Encoding.UTF8, "application/json"), ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.Clone();
    }

    /// <summary>Closes every client connection to the virtual host, as a broker node that goes away does; answers how many.</summary>
    public async Task<int> CloseConnectionsAsync(string vhost, CancellationToken ct)
    {
        using var json = JsonDocument.Parse(await GetJsonAsync($"api/vhosts/{Uri.EscapeDataString(vhost)}/connections", ct));
        var names = json.RootElement.EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToList();
        foreach (var name in names)
        {
            using var response = await _http.DeleteAsync($"api/connections/{Uri.EscapeDataString(name)}", ct);
            response.EnsureSuccessStatusCode();
        }

        return names.Count;
    }

    public void Dispose() => _http.Dispose();
}
