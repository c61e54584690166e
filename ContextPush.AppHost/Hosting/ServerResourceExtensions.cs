namespace ContextPush.AppHost.Hosting;

/// <summary>Aspire's resource vocabulary for the three servers.</summary>
public static class ServerResourceExtensions
{
    public static ServerResource AddRabbitMQ(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new ServerResource(name, ServerKind.RabbitMq, builder));

    public static ServerResource AddPostgres(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new ServerResource(name, ServerKind.Postgres, builder));

    public static ServerResource AddRedis(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new ServerResource(name, ServerKind.Redis, builder));
}
