using ContextPush.Assembler.Consumers;
using ContextPush.Assembler.Context;
using ContextPush.ServiceDefaults.Idempotency;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("warehouse", configureDataSourceBuilder: NpgsqlPerDelta.Configure);
builder.AddRedisClient("cache", configureOptions: redis => redis.AbortOnConnectFail = false);
builder.AddAssembling();
builder.Services.AddSingleton<DeltaClaims>();
builder.AddMessaging(bus => bus.AddConsumer<DeltaDetectedConsumer>(typeof(DeltaDetectedConsumerDefinition)));

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
