using ContextPush.ServiceDefaults.Idempotency;
using ContextPush.Throttler;
using ContextPush.Throttler.Consumers;
using ContextPush.Throttler.Throttling;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("throttlerdb", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
builder.AddKeyedNpgsqlDataSource("warehouse", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
builder.AddRedisClient("cache", configureOptions: redis => redis.AbortOnConnectFail = false);
builder.Services.AddOptions<ThrottlerOptions>().BindConfiguration(ThrottlerOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<DecisionStore>();
builder.Services.AddNpgsqlSchema(DecisionStore.Schema);
builder.Services.AddSingleton<Suppressions>();
builder.Services.AddNpgsqlSchema(Suppressions.Schema);
builder.Services.AddSingleton<SentCards>();
builder.Services.AddNpgsqlSchema(SentCards.Schema);
builder.Services.AddSingleton<FrequencyCap>();
builder.Services.AddSingleton<DeltaClaims>();
builder.Services.AddSingleton<OwnerBudget>();
builder.Services.AddSingleton<HeldForDigest>();
builder.Services.AddNpgsqlSchema(HeldForDigest.Schema);
builder.Services.AddHostedService<DigestScheduler>();
builder.Services.AddSingleton<MetricHistory>();
builder.Services.AddSingleton<PriorityRule>();
builder.Services.AddSingleton<DeliveryThrottle>();
builder.AddMessaging(bus =>
{
    bus.AddConsumer<ContextAssembledConsumer>();
    bus.AddConsumer<DeliveredConsumer>();
    bus.AddConsumer<CardActionedConsumer>();
});

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDecisionEndpoints();
app.Run();

public partial class Program;
