using ContextPush.Assembler;
using ContextPush.Assembler.Consumers;
using ContextPush.Assembler.Context;
using ContextPush.ServiceDefaults.Idempotency;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource("warehouse");
builder.AddRedisClient("cache");
builder.Services.AddOptions<AssemblerOptions>().BindConfiguration(AssemblerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton<WarehouseContextSource>();
builder.Services.AddSingleton<ContextAssembler>();
builder.Services.AddSingleton<DeltaClaims>();
builder.AddMessaging(bus => bus.AddConsumer<DeltaDetectedConsumer>());

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();

public partial class Program;
