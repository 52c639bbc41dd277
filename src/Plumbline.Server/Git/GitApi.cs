using Microsoft.AspNetCore.Http.HttpResults;
using Plumbline.Server.Access;
using Plumbline.Server.Contracts;
using Plumbline.Server.Errors;

namespace Plumbline.Server.Git;

/// <summary>Git imports in team mode: what the server has of the caller's import of a repository, and storing more commits.</summary>
internal static class GitApi
{
    public static IEndpointRouteBuilder MapGitApi(this IEndpointRouteBuilder app)
    {
        var git = app.MapGroup("/api/git/repositories").WithTags("Git").RequireAuthorization(Policies.Contributor);
        git.MapGet("/{repo}", GetRepository).WithName("GetGitRepository")
            .WithSummary("The commits of the caller's import of a repository that are stored, and each file's latest stored commit (empty for a repository not imported)");
        git.MapPost("/{repo}/commits", PostCommits).WithName("PostGitCommits")
            .WithSummary("Store commits (parents first) with the texts of the files they change, in one transaction; stored commits are skipped; more than 1000 commits is a 413");
        return app;
    }

    private static async Task<Ok<GitRepositoryResponse>> GetRepository(string repo, Caller caller, GitImports imports, CancellationToken ct) =>
        TypedResults.Ok(await imports.KnownAsync(caller, Documents.DocumentsApi.Name(repo), ct));

    private static async Task<Results<Ok<GitCommitsResponse>, ProblemHttpResult>> PostCommits(string repo, GitCommitsRequest request, Caller caller, GitImports imports, CancellationToken ct)
    {
        try
        {
            return TypedResults.Ok(await imports.PostCommitsAsync(caller, Documents.DocumentsApi.Name(repo), request, ct));
        }
        catch (GitImports.TooManyCommits e)
        {
            return TypedResults.Problem(
                e.Message,
                statusCode: StatusCodes.Status413PayloadTooLarge,
                extensions: new Dictionary<string, object?> { [ProblemMapping.KindKey] = ProblemMapping.KindOf(StatusCodes.Status413PayloadTooLarge) });
        }
    }
}
