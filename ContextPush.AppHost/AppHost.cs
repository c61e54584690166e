using ContextPush.AppHost;
using ContextPush.AppHost.Servers;

var options = AppHostOptions.Parse(args);
LocalDashboard.UseFreePorts();
var builder = DistributedApplication.CreateBuilder(options.AspireArgs);

// Servers: executables from Debian's packages, or the user's own through ConnectionStrings__<name>.
var messaging = builder.AddLocalRabbitMQ("messaging");
var cache = builder.AddLocalRedis("cache");
var postgres = builder.AddLocalPostgres("postgres");
var warehouse = postgres.AddDatabase("warehouse").WithDemoSeed(options.SeedAccounts);
var detectorDb = postgres.AddDatabase("detectordb");
var throttlerDb = postgres.AddDatabase("throttlerdb");
var dispatcherDb = postgres.AddDatabase("dispatcherdb");
var callbacksDb = postgres.AddDatabase("callbacksdb");

// Signs the action links of Teams cards and emails; generated for each local run.
var actionLinkKey = builder.AddParameter("action-link-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

// The four consumers start together; the Detector waits for all of them, so every queue exists before the
// first delta is published. Nothing else needs an order: a consumer's messages only ever follow a detection.
var callbacks = builder.AddProject<Projects.ContextPush_Callbacks>("callbacks")
    .AsService(options)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(callbacksDb).WaitFor(callbacksDb)
    .WithEnvironment("ActionLinks__Key", actionLinkKey)
    .WithAdoptionFigures()
    .WithReplayErrorQueueCommand();

var dispatcher = builder.AddProject<Projects.ContextPush_Dispatcher>("dispatcher")
    .AsService(options)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(dispatcherDb).WaitFor(dispatcherDb)
    .WithReference(cache).WaitFor(cache)
    .WithReference(callbacks)
    .WithEnvironment("ActionLinks__Key", actionLinkKey)
    .WithRecentCardsPage()
    .WithReplayErrorQueueCommand();

var throttler = builder.AddProject<Projects.ContextPush_Throttler>("throttler")
    .AsService(options)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(cache).WaitFor(cache)
    .WithReference(throttlerDb).WaitFor(throttlerDb)
    .WithReplayErrorQueueCommand();

var assembler = builder.AddProject<Projects.ContextPush_Assembler>("assembler")
    .AsService(options)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(cache).WaitFor(cache)
    .WithReference(warehouse).WaitFor(warehouse)
    .WithReplayErrorQueueCommand();

var detector = builder.AddProject<Projects.ContextPush_Detector>("detector")
    .AsService(options)
    .WithReference(messaging).WaitFor(messaging)
    .WithReference(warehouse).WaitFor(warehouse)
    .WithReference(detectorDb).WaitFor(detectorDb)
    .WithEnvironment("Detector__PushesPath", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "pushes")))
    .WaitFor(callbacks).WaitFor(dispatcher).WaitFor(throttler).WaitFor(assembler)
    .WithRunPushesCommand();

// GET /explain asks each service's own API; no WaitFor, as they wait for Callbacks.
callbacks.WithReference(detector).WithReference(throttler).WithReference(dispatcher);

builder.Build().Run();
