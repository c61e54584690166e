using System.Diagnostics;
using ContextPush.AppHost.Servers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContextPush.ComponentTests.Deployment;

/// <summary>An overlay of deploy/ rendered by <c>kubectl kustomize</c>, as a platform team renders it, read back into the Kubernetes client's models.</summary>
public sealed class RenderedDeployment
{
    private static readonly SemaphoreSlim Tools = new(1, 1);

    /// <summary>The operators' kinds, which the client has no model of: read as plain data, validated by <see cref="ValidateAgainstSchemasAsync"/>.</summary>
    private static readonly Dictionary<string, Type> OperatorKinds = new[]
    {
        "keda.sh/v1alpha1/ScaledObject", "keda.sh/v1alpha1/TriggerAuthentication", "postgresql.cnpg.io/v1/Cluster",
        "rabbitmq.com/v1beta1/RabbitmqCluster", "redis.redis.opstreelabs.in/v1beta2/Redis",
    }.ToDictionary(k => k, _ => typeof(Dictionary<object, object>));

    private RenderedDeployment(string yaml, IReadOnlyList<object> objects)
    {
        Yaml = yaml;
        Objects = objects;
    }

    public static string DeployFolder => Path.Combine(RepositoryRoot.Path, "deploy");

    public string Yaml { get; }

    /// <summary>Every object; the kinds the client knows as its models, the operators' as <see cref="Dictionary{TKey,TValue}"/>.</summary>
    public IReadOnlyList<object> Objects { get; }

    public IEnumerable<V1Deployment> Deployments => Objects.OfType<V1Deployment>();

    public V1ConfigMap ConfigMap(string namePrefix) => Objects.OfType<V1ConfigMap>().Single(c => c.Metadata.Name.StartsWith(namePrefix, StringComparison.Ordinal));

    public static async Task<RenderedDeployment> RenderAsync(string overlay)
    {
        var ct = TestContext.Current.CancellationToken;
        await EnsureToolsAsync(ct);
        var (code, output, errors) = await RunAsync("kubectl", ["kustomize", Path.Combine("overlays", overlay)], DeployFolder, ct);
        Assert.True(code == 0, $"kubectl kustomize overlays/{overlay} exited {code}: {errors}");
        // Strict: a field the API does not know fails here, as the API server would refuse it.
        var objects = KubernetesYaml.LoadAllFromString(output, OperatorKinds, strict: true);
        return new RenderedDeployment(output, objects.ToList());
    }

    /// <summary>Runs deploy/validate (kubernetes-models) over the rendered objects and answers its report.</summary>
    public async Task<(int Code, string Report)> ValidateAgainstSchemasAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(DeployFolder, "validate");
        await Tools.WaitAsync(ct);
        try
        {
            if (!Directory.Exists(Path.Combine(folder, "node_modules", "kubernetes-models")))
            {
                var (installed, output, errors) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], folder, ct);
                Assert.True(installed == 0, $"npm ci in {folder} exited {installed}:\n{errors}\n{output}");
            }
        }
        finally
        {
            Tools.Release();
        }

        var (code, report, problems) = await RunAsync("node", ["validate.mjs"], folder, ct, Yaml);
        return (code, report + problems);
    }

    private static async Task EnsureToolsAsync(CancellationToken ct)
    {
        await Tools.WaitAsync(ct);
        try
        {
            await DebianPackages.EnsureAsync("/usr/bin/kubectl", "kubectl", NullLogger.Instance, ct);
        }
        finally
        {
            Tools.Release();
        }
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string command, string[] arguments, string folder, CancellationToken ct,
        string? input = null)
    {
        var start = new ProcessStartInfo(command)
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = input is not null,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
            process.StandardInput.Close();
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await errors);
    }
}
