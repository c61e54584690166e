using ContextPush.Detector;
using ContextPush.Detector.Detection;
using ContextPush.Detector.Pushes;
using ContextPush.Detector.Runs;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddNpgsqlDataSource(WarehouseSources.DefaultName);
builder.Services.AddOptions<DetectorOptions>().BindConfiguration(DetectorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<WarehouseSources>();
// Registered before the bus and the scheduler: hosted services start in this order.
builder.Services.AddHostedService<TrackingSchemaInitializer>();
builder.Services.AddSingleton<PushValidator>();
builder.Services.AddSingleton<PushCatalog>();
builder.Services.AddHostedService<PushCatalogReloader>();
builder.AddMessaging();
builder.Services.AddSingleton<RunStore>();
builder.Services.AddSingleton<IDetectionStages, NoDetectionStages>();
builder.Services.AddSingleton<PushRunner>();
builder.Services.AddHostedService<PushScheduler>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapPushEndpoints();
app.Run();

public partial class Program;
