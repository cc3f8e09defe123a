using System.Collections;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Vteam.Build.Engine;

/// <summary>What a run talks to: output, environment, root folder. Tests pass their own.</summary>
internal sealed record RunEnvironment(TextWriter Out, Func<string, string?> Variables, AbsolutePath? Root = null, bool? Ansi = null)
{
    public static RunEnvironment FromProcess() => new(Console.Out, Environment.GetEnvironmentVariable);
}

/// <summary>Parses the command line, resolves parameters, plans and executes: the engine's entry point.</summary>
internal static class BuildRunner
{
    public const int ExitFailed = 1;
    public const int ExitUsage = 2;

    public static int Run<T>(string[] args, string[] defaultTargets) where T : NukeBuild, new()
    {
        using var cancellation = new CancellationTokenSource();
        var interrupts = 0;
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C cancels running targets (and so their child processes); a second one ends the process.
            if (Interlocked.Increment(ref interrupts) > 1) return;
            e.Cancel = true;
            Console.Error.WriteLine("Cancelling… (press Ctrl+C again to stop at once)");
            cancellation.Cancel();
        };
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancellation.Cancel();
        });
        return RunAsync(new T(), args, defaultTargets, RunEnvironment.FromProcess(), cancellation.Token).GetAwaiter().GetResult();
    }

    public static async Task<int> RunAsync(NukeBuild build, IReadOnlyList<string> args, IReadOnlyList<string> defaultTargets,
        RunEnvironment environment, CancellationToken cancellation)
    {
        var root = environment.Root ?? FindRoot();
        var gitHubActions = environment.Variables("GITHUB_ACTIONS") == "true";
        IBuildHost host = gitHubActions
            ? new GitHubActionsHost(environment.Out, environment.Variables("GITHUB_STEP_SUMMARY"), environment.Variables("GITHUB_WORKSPACE") ?? root.Value)
            : new ConsoleHost(ReferenceEquals(environment.Out, Console.Out) ? null : environment.Out, environment.Ansi);
        var masker = build.Masker;
        masker.Registered += host.SecretRegistered;
        build.RootDirectory = root;
        build.Host = gitHubActions ? BuildHost.GitHubActions : BuildHost.Console;
        build.Cancellation = cancellation;

        using var _ = Log.Push(host, masker);
        try
        {
            var descriptors = ParameterDiscovery.Discover(build.GetType());
            // Secrets are known before anything else is printed, even a parse error.
            foreach (var secret in descriptors.Where(d => d.IsSecret))
                masker.Register(environment.Variables(secret.EnvironmentName));

            var arguments = args.Where(a => a != "--generate-schema").ToArray();
            var commandLine = CommandLine.Parse(arguments,
                name => descriptors.FirstOrDefault(d => string.Equals(d.CliName, name, StringComparison.OrdinalIgnoreCase))?.IsFlag == true);
            foreach (var secret in descriptors.Where(d => d.IsSecret))
                if (commandLine.Arguments.TryGetValue(secret.CliName, out var values))
                    foreach (var value in values) masker.Register(value);

            var file = ParametersFile.Load(root / ".nuke" / "parameters.json");
            var (parameters, warnings) = ParameterResolver.Resolve(descriptors, commandLine, environment.Variables, file, root);
            foreach (var p in parameters.All.Where(p => p.Descriptor.IsSecret && p.Value is string))
                masker.Register((string)p.Value!);
            ParameterValues.Attach(build, parameters);
            Inject(build, parameters);
            foreach (var warning in warnings) Log.Warning(warning);

            var targets = TargetDiscovery.Discover(build);
            var graph = new TargetGraph(targets.Select(t => t.Node));
            var byName = targets.ToDictionary(t => t.Name, StringComparer.OrdinalIgnoreCase);

            if (args.Contains("--generate-schema"))
            {
                AtomicFile.WriteAllText(root / ".nuke" / "build.schema.json", SchemaWriter.Write(graph, descriptors));
                return 0;
            }
            if (build.Help)
            {
                environment.Out.Write(masker.Mask(HelpWriter.Write(graph, defaultTargets, parameters, d => CurrentValue(build, d))));
                return 0;
            }

            var requested = commandLine.Targets.Count > 0 ? commandLine.Targets : defaultTargets;
            var firstPlan = ExecutionPlanner.Plan(graph, new PlanRequest(requested, build.Skip));
            var staticSkips = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var planned in firstPlan.Targets.Where(t => !t.Skipped))
                if (byName[planned.Name].Definition.StaticConditions.FirstOrDefault(c => !Executor.Evaluate(c)) is { } condition)
                    staticSkips[planned.Name] = $"condition false: {Executor.Describe(condition)}";
            var plan = ExecutionPlanner.Plan(graph, new PlanRequest(requested, build.Skip, staticSkips));

            if (build.Plan)
            {
                environment.Out.Write(PlanWriter.Text(plan));
                var html = root / "artifacts" / "plan.html";
                AtomicFile.WriteAllText(html, PlanWriter.Html(graph, plan));
                environment.Out.WriteLine($"Wrote {html.RelativeTo(root)}");
                return 0;
            }

            var problems = Preflight(plan, byName, descriptors);
            if (problems.Count > 0)
            {
                foreach (var problem in problems) Log.Report(new Diagnostic(DiagnosticSeverity.Error, problem, RuleId: "preflight"));
                Log.Error($"Nothing ran: {problems.Count} requirement{(problems.Count == 1 ? " is" : "s are")} not met.");
                return ExitUsage;
            }

            build.ExecutionPlan = plan;
            var started = System.Diagnostics.Stopwatch.StartNew();
            var executor = new Executor(host, masker, build.Verbose, r => { if (r.Status == TargetStatus.Failed) build.TargetFailed(r.Name); });
            var results = await executor.RunAsync(plan, byName, build.Continue, cancellation);
            var succeeded = results.All(r => r.Status is TargetStatus.Succeeded or TargetStatus.Skipped);
            host.Summary(results, started.Elapsed, succeeded);
            host.FlushClosingLines();
            return succeeded ? 0 : ExitFailed;
        }
        catch (BuildConfigurationException e)
        {
            host.Write(LogLevel.Error, masker.Mask(e.Message));
            return ExitUsage;
        }
    }

    /// <summary>Every missing parameter and false requirement of the targets that will run, all at once.</summary>
    private static List<string> Preflight(ExecutionPlan plan, IReadOnlyDictionary<string, ExecutableTarget> targets, IReadOnlyList<ParameterDescriptor> descriptors)
    {
        var problems = new List<string>();
        foreach (var planned in plan.Targets.Where(t => !t.Skipped))
        {
            var definition = targets[planned.Name].Definition;
            foreach (var parameter in definition.RequiredParameters)
            {
                var value = parameter.Compile(preferInterpretation: true).DynamicInvoke();
                if (!IsEmpty(value)) continue;
                var name = ExpressionNames.MemberName(parameter);
                var d = descriptors.FirstOrDefault(x => x.MemberName == name);
                problems.Add(d is null
                    ? $"{planned.Name} requires {name}."
                    : $"{planned.Name} requires --{d.CliName} (or the environment variable {d.EnvironmentName}{(d.IsSecret ? "" : ", or \"" + d.MemberName + "\" in .nuke/parameters.json")}).");
            }
            foreach (var (condition, message) in definition.Requirements.Where(r => !Executor.Evaluate(r.Condition)))
                problems.Add(message is null ? $"{planned.Name} requires {Executor.Describe(condition)}." : $"{planned.Name}: {message}");
        }
        return problems;
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        ICollection c => c.Count == 0,
        _ => false,
    };

    private static void Inject(NukeBuild build, ParameterSet parameters)
    {
        foreach (var p in parameters.All.Where(p => p.Source != ParameterSource.Default))
        {
            switch (p.Descriptor.Member)
            {
                case FieldInfo field when !field.DeclaringType!.IsInterface:
                    field.SetValue(build, p.Value);
                    break;
                case PropertyInfo { CanWrite: true } property when !property.DeclaringType!.IsInterface:
                    property.SetValue(build, p.Value);
                    break;
            }
        }
    }

    private static object? CurrentValue(NukeBuild build, ParameterDescriptor d) => d.Member switch
    {
        FieldInfo field => field.GetValue(build),
        PropertyInfo property => property.GetValue(build),
        _ => null,
    };

    /// <summary>The folder holding .nuke/ at or above the working directory (Nuke's convention).</summary>
    internal static AbsolutePath FindRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
            if (Directory.Exists(Path.Combine(directory.FullName, ".nuke")))
                return new AbsolutePath(directory.FullName);
        throw new BuildConfigurationException($"No .nuke folder at or above {Directory.GetCurrentDirectory()}: run the build from inside the repository.");
    }
}
