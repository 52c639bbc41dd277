using Microsoft.Extensions.AI;
using Plumbline.Core;

namespace Plumbline.Models;

public sealed partial class ModelCatalog
{
    private static IChatClient CreateOpenAiChatClient(ModelSettings settings) => throw new PlumblineException(FailureKind.Runtime, $"{settings.Reference}: the OpenAI-compatible backend is not in this build yet");

    private static IEmbeddingGenerator<string, Embedding<float>> CreateOpenAiEmbeddingGenerator(ModelSettings settings) => throw new PlumblineException(FailureKind.Runtime, $"{settings.Reference}: the OpenAI-compatible backend is not in this build yet");
}
