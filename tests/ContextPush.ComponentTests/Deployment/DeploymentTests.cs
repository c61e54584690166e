using System.Reflection;
using System.Text.Json;
using ContextPush.Assembler;
using ContextPush.CardActions;
using ContextPush.Callbacks;
using ContextPush.Detector;
using ContextPush.Dispatcher;
using k8s.Models;
using Microsoft.Extensions.Hosting;

namespace ContextPush.ComponentTests.Deployment;

/// <summary>
/// deploy/ checked by construction, since no cluster runs here: each overlay renders, every object is
/// valid for the Kubernetes API and for its operator's published schema, and what the manifests promise
/// the services (variables, probes, ports, images) is what the services read and serve.
/// </summary>
public sealed class DeploymentTests
{
    private static readonly string[] Services = ["detector", "assembler", "throttler", "dispatcher", "callbacks"];

    /// <summary>The connection strings each service's composition asks for (its Add&lt;Feature&gt;() in Program.cs).</summary>
    private static readonly Dictionary<string, string[]> ConnectionStrings = new()
    {
        ["detector"] = ["messaging", "warehouse", "detectordb"],
        ["assembler"] = ["messaging", "warehouse", "cache"],
        ["throttler"] = ["messaging", "throttlerdb", "cache"],
        ["dispatcher"] = ["messaging", "dispatcherdb", "cache"],
        ["callbacks"] = ["messaging", "callbacksdb"],
    };

    /// <summary>Each configuration section the services bind, and the options type that reads it.</summary>
    private static readonly Dictionary<string, Type> Sections = new()
    {
        [DetectorOptions.SectionName] = typeof(DetectorOptions),
        [AssemblerOptions.SectionName] = typeof(AssemblerOptions),
        [DispatcherOptions.SectionName] = typeof(DispatcherOptions),
        [CallbacksOptions.SectionName] = typeof(CallbacksOptions),
        [ActionLinkOptions.SectionName] = typeof(ActionLinkOptions),
    };

    /// <summary>Read without an options type: by the host, ASP.NET Core, OpenTelemetry and AddMessaging.</summary>
    private static readonly string[] PlainSettings =
        ["ASPNETCORE_HTTP_PORTS", "DOTNET_SHUTDOWNTIMEOUTSECONDS", "Messaging__QueueType", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL"];

    [Theory]
    [InlineData("production", "ScaledObject")]
    [InlineData("production-hpa", "HorizontalPodAutoscaler")]
    public async Task Each_overlay_renders_every_part_and_every_object_is_valid_against_its_published_schema(string overlay, string scaling)
    {
        var rendered = await RenderedDeployment.RenderAsync(overlay);

        Assert.Equal(Services.Order(), rendered.Deployments.Select(d => d.Metadata.Name).Order());
        Assert.Contains($"kind: {scaling}", rendered.Yaml);
        foreach (var kind in new[] { "Namespace", "Service", "Ingress", "NetworkPolicy", "PodDisruptionBudget", "RabbitmqCluster", "Cluster", "Redis" })
        {
            Assert.Contains($"kind: {kind}\n", rendered.Yaml);
        }

        var (code, report) = await rendered.ValidateAgainstSchemasAsync();
        Assert.True(code == 0, report);
        // The operators whose models the registry here does not serve; any other kind left unchecked fails.
        Assert.Contains("unchecked: rabbitmq.com/v1beta1 RabbitmqCluster contextpush-rabbitmq; redis.redis.opstreelabs.in/v1beta2 Redis contextpush-redis\n", report);
    }

    [Fact]
    public async Task The_pushes_ConfigMap_carries_the_repositorys_pushes_as_they_are()
    {
        var rendered = await RenderedDeployment.RenderAsync("production");
        var pushes = rendered.ConfigMap("contextpush-pushes").Data;

        Assert.Contains("churn-risk.yaml", pushes.Keys);
        Assert.All(pushes, p => Assert.Equal(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "pushes", p.Key)), p.Value));
        var mount = rendered.Deployments.Single(d => d.Metadata.Name == "detector").Spec.Template.Spec.Containers.Single().VolumeMounts.Single(m => m.Name == "pushes");
        Assert.Equal("/pushes", mount.MountPath);
    }

    [Fact]
    public async Task Every_variable_a_Deployment_sets_is_one_its_service_reads()
    {
        var rendered = await RenderedDeployment.RenderAsync("production");
        var shared = rendered.ConfigMap("contextpush-config").Data.Keys;

        foreach (var deployment in rendered.Deployments)
        {
            var service = deployment.Metadata.Name;
            var names = deployment.Spec.Template.Spec.Containers.Single().Env.Select(e => e.Name).Concat(shared).ToList();
            Assert.Equal(ConnectionStrings[service].Order(), names.Where(n => n.StartsWith("ConnectionStrings__", StringComparison.Ordinal))
                .Select(n => n["ConnectionStrings__".Length..]).Order());
            foreach (var name in names.Where(n => !n.StartsWith("ConnectionStrings__", StringComparison.Ordinal)))
            {
                Assert.True(PlainSettings.Contains(name) || Reads(name), $"{service}: {name} is read by no service");
            }
        }
    }

    [Fact]
    public async Task Probes_ask_the_endpoints_the_services_map_on_the_port_they_listen_on()
    {
        var rendered = await RenderedDeployment.RenderAsync("production");
        var port = int.Parse(rendered.ConfigMap("contextpush-config").Data["ASPNETCORE_HTTP_PORTS"], System.Globalization.CultureInfo.InvariantCulture);

        foreach (var container in rendered.Deployments.Select(d => d.Spec.Template.Spec.Containers.Single()))
        {
            var http = Assert.Single(container.Ports);
            Assert.Equal(("http", port), (http.Name, http.ContainerPort));
            Assert.Equal(Extensions.HealthEndpointPath, container.ReadinessProbe.HttpGet.Path);
            Assert.Equal(Extensions.AlivenessEndpointPath, container.LivenessProbe.HttpGet.Path);
            Assert.Equal(Extensions.AlivenessEndpointPath, container.StartupProbe.HttpGet.Path);
            Assert.All(new[] { container.ReadinessProbe, container.LivenessProbe, container.StartupProbe }, p => Assert.Equal("http", p.HttpGet.Port.Value));
        }

        var services = rendered.Objects.OfType<V1Service>().ToList();
        Assert.Equal(["callbacks", "detector", "dispatcher", "throttler"], services.Select(s => s.Spec.Selector["app.kubernetes.io/name"]).Order());
        Assert.All(services, s => Assert.Equal("http", s.Spec.Ports.Single().TargetPort.Value));
        // Only Callbacks is reached from outside, and only by Slack's requests and people's links.
        var ingress = rendered.Objects.OfType<V1Ingress>().Single().Spec.Rules.Single().Http.Paths;
        Assert.Equal(["/slack/interactions", "/a"], ingress.Select(p => p.Path));
        Assert.All(ingress, p => Assert.Equal("callbacks", p.Backend.Service.Name));
        // Callbacks finds the APIs GET /explain composes by the names of their Services.
        var callbacks = rendered.Deployments.Single(d => d.Metadata.Name == "callbacks").Spec.Template.Spec.Containers.Single();
        Assert.All(new[] { "Detector", "Throttler", "Dispatcher" }, name =>
            Assert.Equal($"http://{name.ToLowerInvariant()}", callbacks.Env.Single(e => e.Name == $"Callbacks__Explain__{name}").Value));
    }

    [Fact]
    public async Task Pods_run_hardened_and_sized_and_no_secret_value_is_in_the_manifests()
    {
        var rendered = await RenderedDeployment.RenderAsync("production");

        Assert.DoesNotContain("kind: Secret\n", rendered.Yaml);
        foreach (var deployment in rendered.Deployments)
        {
            var pod = deployment.Spec.Template.Spec;
            var container = pod.Containers.Single();
            Assert.True(pod.SecurityContext.RunAsNonRoot);
            Assert.Equal("RuntimeDefault", pod.SecurityContext.SeccompProfile.Type);
            Assert.Equal(45, pod.TerminationGracePeriodSeconds);
            Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
            Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
            Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
            Assert.NotNull(container.Resources.Requests["memory"]);
            Assert.NotNull(container.Resources.Limits["memory"]);
            Assert.All(container.Env.Where(e => IsSecret(e.Name)), e => Assert.True(e.Value is null && e.ValueFrom?.SecretKeyRef is not null,
                $"{deployment.Metadata.Name}: {e.Name} must come from a Secret"));
        }

        Assert.DoesNotContain(rendered.ConfigMap("contextpush-config").Data.Keys, IsSecret);
    }

    [Fact]
    public async Task Each_service_image_is_the_one_its_project_publishes()
    {
        var rendered = await RenderedDeployment.RenderAsync("production");

        foreach (var deployment in rendered.Deployments)
        {
            var project = Path.Combine(RepositoryRoot.Path, "services", char.ToUpperInvariant(deployment.Metadata.Name[0]) + deployment.Metadata.Name[1..]);
            var container = await ContainerSettingsAsync(project);
            Assert.Equal($"registry.example.com/{container["ContainerRepository"]}:1.0.0", deployment.Spec.Template.Spec.Containers.Single().Image);
            Assert.Equal("app", container["ContainerUser"]);
            Assert.Contains("chiseled", container["ContainerFamily"]);
        }
    }

    private static bool IsSecret(string name) =>
        new[] { "Token", "Secret", "Password", "Key", "ConnectionStrings__" }.Any(s => name.Contains(s, StringComparison.Ordinal));

    /// <summary>Whether Section__Property__Property… names a settable property of the section's options type.</summary>
    private static bool Reads(string name)
    {
        var parts = name.Split("__");
        if (!Sections.TryGetValue(parts[0], out var type))
        {
            return false;
        }

        foreach (var part in parts[1..])
        {
            var property = type.GetProperty(part, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                return false;
            }

            type = property.PropertyType;
        }

        return true;
    }

    private static async Task<Dictionary<string, string>> ContainerSettingsAsync(string project)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = project };
        foreach (var argument in new[] { "msbuild", "-getProperty:ContainerRepository", "-getProperty:ContainerFamily", "-getProperty:ContainerUser" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.True(process.ExitCode == 0, output);
        return JsonSerializer.Deserialize<Dictionary<string, Dictionary<string, string>>>(output)!["Properties"];
    }
}
