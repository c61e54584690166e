using System.Net.Http.Headers;
using System.Text;

namespace ContextPush.IntegrationTests.Servers;

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

    public void Dispose() => _http.Dispose();
}
