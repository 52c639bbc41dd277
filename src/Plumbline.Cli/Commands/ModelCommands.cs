using System.CommandLine;
using System.Text.Json;
using Plumbline.Cli.Infrastructure;
using Plumbline.Core;
using Plumbline.Models;
using Plumbline.Models.Lsa;
using Plumbline.Models.Ngram;

namespace Plumbline.Cli.Commands;

/// <summary>
/// <c>plumb model ngram train|score</c>, <c>plumb model lsa fit</c>, <c>plumb model embed</c>: the
/// built-in offline models from the command line.
/// </summary>
internal static class ModelCommands
{
    public static Command Create() => new("model", "Built-in offline models: train, score, fit, embed")
    {
        new Command("ngram", "n-gram language model (interpolated modified Kneser–Ney)") { NgramTrain(), NgramScore() },
        new Command("lsa", "LSA embedder (TF-IDF + truncated SVD)") { LsaFit() },
        Embed(),
    };

    private static Option<string?> FieldOption() => new("--field") { Description = "For JSONL: the text field (default: text, response, prompt or statement)", HelpName = "NAME" };

    private static Command NgramTrain()
    {
        var corpus = new Option<string>("--corpus") { Description = "Training texts: plain text (one per line) or JSONL", Required = true, HelpName = "FILE" };
        var order = new Option<int>("--order") { Description = "Longest n-gram, 1 to 6", DefaultValueFactory = _ => 3, HelpName = "N" };
        var lowercase = new Option<bool>("--lowercase") { Description = "Fold text to lower case" };
        var output = new Option<string>("--out") { Description = "Model file to write", Required = true, HelpName = "FILE" };
        var field = FieldOption();
        var command = new Command("train", "Train an n-gram model; use it as builtin:ngram:FILE") { corpus, order, lowercase, field, output };
        return command.WithAction((context, ct) =>
        {
            var n = context.Get(order);
            if (n is < 1 or > NgramOptions.MaxOrder)
            {
                throw PlumblineException.BadInput($"--order: must be 1 to {NgramOptions.MaxOrder} (was {n})");
            }

            var texts = TextCorpus.Read(context.Get(corpus), context.Get(field));
            ct.ThrowIfCancellationRequested();
            var model = NgramModel.Train(texts.Select(t => t.Text), new NgramOptions(n, context.Get(lowercase)));
            var path = context.Get(output);
            model.Save(path);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    @out = path,
                    order = model.Order,
                    texts = texts.Count,
                    vocabulary = model.VocabularySize,
                    ngrams = model.NgramCounts,
                    discounts = model.Discounts.Select(d => new[] { d.D1, d.D2, d.D3Plus }),
                });
            }
            else
            {
                context.Say($"trained a {model.Order}-gram model on {texts.Count} texts: {model.VocabularySize} words, {string.Join(" / ", model.NgramCounts)} n-grams; wrote {path} (use it as builtin:ngram:{path})");
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command NgramScore()
    {
        var model = new Option<string>("--model") { Description = "builtin:ngram:PATH, a name from plumbline.yaml, or the model file", Required = true, HelpName = "M" };
        var texts = new Option<string>("--texts") { Description = "Texts to score: plain text (one per line) or JSONL (a samples file works)", Required = true, HelpName = "FILE" };
        var field = FieldOption();
        var command = new Command("score", "Perplexity of each text and of all of them under an n-gram model") { model, texts, field };
        return command.WithAction((context, ct) =>
        {
            var lm = LoadNgram(context, context.Get(model));
            var items = TextCorpus.Read(context.Get(texts), context.Get(field));
            ct.ThrowIfCancellationRequested();
            var scores = items.Select(i => (i.Line, Score: lm.Score(i.Text))).ToList();
            var tokens = scores.Sum(s => s.Score.Tokens.Count);
            var corpus = Math.Exp(-scores.Sum(s => s.Score.LogProbability) / tokens);
            if (context.Json)
            {
                context.WriteJson(new
                {
                    perplexity = corpus,
                    tokens,
                    texts = scores.Select(s => new { line = s.Line, perplexity = s.Score.Perplexity, logprob = s.Score.LogProbability, tokens = s.Score.Tokens.Count, unknown = s.Score.Tokens.Count(t => t.Unknown) }),
                });
            }
            else
            {
                context.Say(FormattableString.Invariant($"perplexity {corpus:0.###} over {items.Count} texts ({tokens} tokens, </s> counted)"));
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command LsaFit()
    {
        var corpus = new Option<string>("--corpus") { Description = "Texts to fit on: plain text (one per line) or JSONL", Required = true, HelpName = "FILE" };
        var dimensions = new Option<int>("--dimensions") { Description = "Embedding size", DefaultValueFactory = _ => 100, HelpName = "D" };
        var seed = new Option<int>("--seed") { Description = "Seed of the randomized SVD (default 0)", HelpName = "S" };
        var output = new Option<string>("--out") { Description = "Model file to write", Required = true, HelpName = "FILE" };
        var field = FieldOption();
        var command = new Command("fit", "Fit an LSA embedder; use it as builtin:lsa:FILE") { corpus, dimensions, seed, field, output };
        return command.WithAction((context, ct) =>
        {
            var d = context.Get(dimensions);
            if (d is < 1 or > 4096)
            {
                throw PlumblineException.BadInput($"--dimensions: must be 1 to 4096 (was {d})");
            }

            var texts = TextCorpus.Read(context.Get(corpus), context.Get(field));
            ct.ThrowIfCancellationRequested();
            var model = LsaModel.Fit(texts.Select(t => t.Text).ToArray(), new LsaOptions(Dimensions: d, Seed: context.Get(seed)));
            var path = context.Get(output);
            model.Save(path);
            if (context.Json)
            {
                context.WriteJson(new { @out = path, texts = texts.Count, terms = model.Terms.Count, dimensions = model.Dimensions, singular_values = model.SingularValues });
            }
            else
            {
                context.Say($"fitted LSA on {texts.Count} texts: {model.Terms.Count} terms, {model.Dimensions} dimensions; wrote {path} (use it as builtin:lsa:{path})");
            }

            return Task.FromResult(ExitCodes.Success);
        });
    }

    private static Command Embed()
    {
        var model = new Option<string>("--model") { Description = "Embedder: builtin:lsa (fitted on these texts), builtin:lsa:PATH, openai:MODEL@URL or a name", Required = true, HelpName = "M" };
        var texts = new Option<string>("--texts") { Description = "Texts: plain text (one per line) or JSONL", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "JSONL to write: {\"line\", \"vector\"} per text", Required = true, HelpName = "FILE" };
        var field = FieldOption();
        var command = new Command("embed", "Embed texts into vectors") { model, texts, field, output };
        return command.WithAction(async (context, ct) =>
        {
            var items = TextCorpus.Read(context.Get(texts), context.Get(field));
            using var embedder = SampleCommand.Catalog(context).CreateEmbeddingGenerator(context.Get(model));
            var vectors = await embedder.EmbedAsync(items.Select(i => i.Text).ToArray(), ct);
            var path = context.Get(output);
            var temp = path + ".tmp";
            await using (var writer = new StreamWriter(temp))
            {
                for (var i = 0; i < items.Count; i++)
                {
                    await writer.WriteAsync(JsonSerializer.Serialize(new { line = items[i].Line, vector = vectors[i] }) + "\n");
                }
            }

            File.Move(temp, path, overwrite: true);
            if (context.Json)
            {
                context.WriteJson(new { @out = path, texts = items.Count, dimensions = vectors.Length > 0 ? vectors[0].Length : 0 });
            }
            else
            {
                context.Say($"embedded {items.Count} texts into {(vectors.Length > 0 ? vectors[0].Length : 0)} dimensions; wrote {path}");
            }

            return ExitCodes.Success;
        });
    }

    private static NgramModel LoadNgram(CliContext context, string reference)
    {
        if (!ModelReference.IsAdHoc(reference) && File.Exists(reference))
        {
            return NgramModel.Load(reference);
        }

        using var chat = SampleCommand.Catalog(context).CreateChatClient(reference);
        return chat.GetService(typeof(NgramModel)) as NgramModel
            ?? throw PlumblineException.BadInput($"--model: '{reference}' is not a builtin:ngram model");
    }
}
