using System.CommandLine;
using ContextPush.PushFiles;
using Npgsql;

namespace ContextPush.Cli.Commands;

/// <summary>
/// <c>contextpush validate [paths] [--warehouse conn]</c>: the Detector's own loader over push files,
/// offline, so a pull request is checked before it merges; with a warehouse, the cohort SQL too.
/// </summary>
public static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths") { Description = "Push files, or folders of them (default: pushes)", Arity = ArgumentArity.ZeroOrMore };
        var warehouse = new Option<string?>("--warehouse")
        {
            Description = "A PostgreSQL connection string: also run each cohort there, read-only and with LIMIT 0, to check its columns",
        };
        var json = CommandLine.JsonOption();
        var command = new Command("validate", "Check push files with the Detector's own validator; exit 1 when any is invalid") { paths, warehouse, json };
        command.SetAction((result, ct) => RunAsync(result.GetValue(paths) ?? [], result.GetValue(warehouse), result.GetValue(json), ct));
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, string? warehouse, bool json, CancellationToken ct)
    {
        var files = new List<string>();
        foreach (var path in paths.Length == 0 ? ["pushes"] : paths)
        {
            if (Directory.Exists(path))
            {
                files.AddRange(Directory.EnumerateFiles(path, "*.yaml").Concat(Directory.EnumerateFiles(path, "*.yml")).Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                await Console.Error.WriteLineAsync($"contextpush: {path}: no such file or folder");
                return ExitCodes.Usage;
            }
        }

        var results = files.Select(file => (File: file, Result: PushLoader.Load(file, File.ReadAllText(file)))).ToList();
        var checkedFiles = new List<FileResult>();
        NpgsqlDataSource? source;
        try
        {
            source = warehouse is null ? null : NpgsqlDataSource.Create(warehouse);
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"contextpush: --warehouse is not a PostgreSQL connection string: {e.Message}");
            return ExitCodes.Usage;
        }

        await using var _ = source;
        if (source is not null)
        {
            try
            {
                await using var probe = await source.OpenConnectionAsync(ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                return CommandLine.Unreachable("the warehouse", e);
            }
        }

        foreach (var (file, (push, error)) in results)
        {
            var problem = error;
            if (push is not null && checkedFiles.FirstOrDefault(f => f.PushId == push.Id && f.Valid) is { } first)
            {
                problem = new PushLoadError(file, "id", $"'{push.Id}' is already used by {first.File}; give each push its own id")
                {
                    Line = YamlLines.LineOf(await File.ReadAllTextAsync(file, ct), "id"),
                };
            }
            else if (push is not null && source is not null)
            {
                problem = await CohortCheck.CheckAsync(source, push, ct);
            }

            checkedFiles.Add(new FileResult(file, push?.Id, problem is null,
                problem is null ? null : new FileProblem(problem.Field, problem.Line, problem.Message)));
        }

        var invalid = checkedFiles.Count(f => !f.Valid);
        if (json)
        {
            CommandLine.WriteJson(new { valid = invalid == 0, checkedAgainstWarehouse = source is not null, files = checkedFiles });
        }
        else
        {
            Report(checkedFiles);
        }

        return invalid == 0 ? ExitCodes.Ok : ExitCodes.Problems;
    }

    private static void Report(List<FileResult> files)
    {
        // On GitHub Actions, errors also become annotations on the pull request's lines.
        var annotate = Environment.GetEnvironmentVariable("GITHUB_ACTIONS") == "true";
        foreach (var file in files)
        {
            if (file.Problem is not { } p)
            {
                Console.WriteLine($"ok     {file.File} ({file.PushId})");
                continue;
            }

            var at = p.Line is { } line ? $"{file.File}:{line}" : file.File;
            Console.WriteLine($"error  {at}: {p.Field}: {p.Message}");
            if (annotate)
            {
                Console.WriteLine($"::error file={file.File}{(p.Line is { } l ? $",line={l}" : "")},title={p.Field}::{p.Message}");
            }
        }

        var invalid = files.Count(f => !f.Valid);
        Console.WriteLine($"{files.Count} push file(s): {files.Count - invalid} valid, {invalid} invalid");
    }

    private sealed record FileResult(string File, string? PushId, bool Valid, FileProblem? Problem);

    private sealed record FileProblem(string Field, int? Line, string Message);
}
