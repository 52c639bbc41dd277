using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Plumbline.Models.Tests.OpenAi;

/// <summary>One request the fake server received.</summary>
internal sealed record RecordedRequest(string Method, string Path, JsonObject Body, string? Authorization);

/// <summary>What the fake server answers: a status, a body, headers; or it hangs until the client gives up.</summary>
internal sealed record Reply(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null, bool Hang = false, bool Drop = false)
{
    public static Reply Hanging { get; } = new(0, string.Empty, Hang: true);

    /// <summary>The connection is closed without an answer.</summary>
    public static Reply Dropped { get; } = new(0, string.Empty, Drop: true);

    public static Reply Error(int status, string message, params (string Name, string Value)[] headers)
        => new(status, new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "test" } }.ToJsonString(), headers.ToDictionary(h => h.Name, h => h.Value));

    public static Reply Chat(string text, string finish = "stop", JsonArray? logprobs = null, string model = "served-model")
    {
        var choice = new JsonObject
        {
            ["index"] = 0,
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = text },
            ["finish_reason"] = finish,
        };
        if (logprobs is not null)
        {
            choice["logprobs"] = new JsonObject { ["content"] = logprobs };
        }

        return new Reply(200, new JsonObject
        {
            ["id"] = "chatcmpl-test",
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = model,
            ["choices"] = new JsonArray(choice),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 5, ["completion_tokens"] = 3, ["total_tokens"] = 8 },
        }.ToJsonString());
    }
}

/// <summary>
/// A small HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions and embeddings wire
/// protocol with scripted answers: queued replies first, then the default answer, which echoes the
/// last user message and the seed ("echo: TEXT (seed S)").
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<Reply> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Task _loop;
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private int _peak;

    public FakeOpenAiServer()
    {
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The base URL to put in a model reference.</summary>
    public string BaseUrl => $"http://127.0.0.1:{Port}/v1";

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public int PeakInFlight => Volatile.Read(ref _peak);

    /// <summary>When set, no request is answered until this many have been in flight at once (or 10 s passed), which makes the peak exact.</summary>
    public int HoldUntilInFlight { get; set; }

    /// <summary>The answer when nothing is queued; default: echo.</summary>
    public Func<RecordedRequest, Reply>? Default { get; set; }

    public void Enqueue(params Reply[] replies)
    {
        foreach (var r in replies)
        {
            _script.Enqueue(r);
        }
    }

    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        // Close alone: Stop() then Close() unregisters the prefixes twice, and the managed listener's second pass
        // binds the port again to find its endpoint, which fails when another test has taken the port meanwhile.
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var now = Interlocked.Increment(ref _inFlight);
        int peak;
        while (now > (peak = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, peak) != peak)
        {
        }

        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync();
            }

            var json = body.Length > 0 ? JsonNode.Parse(body)!.AsObject() : [];
            var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, json, context.Request.Headers["Authorization"]);
            _requests.Enqueue(request);

            if (HoldUntilInFlight > 0)
            {
                // a latch: nobody is answered before the target was in flight once (10 s at most)
                if (Volatile.Read(ref _inFlight) >= HoldUntilInFlight)
                {
                    _reached.TrySetResult();
                }

                await Task.WhenAny(_reached.Task, Task.Delay(10_000, _stop.Token));
            }

            var reply = _script.TryDequeue(out var scripted) ? scripted : (Default ?? Echo)(request);
            if (reply.Drop)
            {
                context.Response.Abort();
                return;
            }

            if (reply.Hang)
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }

                context.Response.Abort();
                return;
            }

            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
        }
        catch (HttpListenerException)
        {
            // the client went away (a timeout under test)
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static Reply Echo(RecordedRequest request)
    {
        if (request.Path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            var inputs = request.Body["input"]!.AsArray();
            var data = new JsonArray();
            for (var i = 0; i < inputs.Count; i++)
            {
                var text = (string)inputs[i]!;
                data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = new JsonArray(text.Length, i, 0.5) });
            }

            return new Reply(200, new JsonObject { ["object"] = "list", ["model"] = (string?)request.Body["model"], ["data"] = data, ["usage"] = new JsonObject { ["prompt_tokens"] = 1, ["total_tokens"] = 1 } }.ToJsonString());
        }

        var last = request.Body["messages"]!.AsArray().Last(m => (string?)m!["role"] == "user")!;
        var seed = request.Body["seed"]?.ToJsonString() ?? "none";
        return Reply.Chat($"echo: {(string?)last["content"]} (seed {seed})");
    }
}

/// <summary>A clock whose timers fire at once and remember what they were asked to wait, so retry delays are asserted without sleeping.</summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _delays = new();

    public IReadOnlyList<TimeSpan> Delays => _delays.ToArray();

    public override DateTimeOffset GetUtcNow() => new(2026, 11, 1, 9, 0, 0, TimeSpan.Zero);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            _delays.Enqueue(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }

        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
