using Plumbline.Core.Privacy;
using static Plumbline.Core.Tests.Privacy.Found;

namespace Plumbline.Core.Tests.Privacy;

public class AssignmentRuleTests
{
    [Theory]
    [InlineData("DB_PASSWORD=8ae31cacf141669ddfb5da", "8ae31cacf141669ddfb5da", "password-assignment")]
    [InlineData("  rconPassword: JdxWjqhjWLTB7wn9qtNH2TXwW4p", "JdxWjqhjWLTB7wn9qtNH2TXwW4p", "password-assignment")]
    [InlineData("{\"password\": \"correct horse\", \"passwd\": \"Tr0ub4dor&3\"}", "Tr0ub4dor&3", "password-assignment")]
    [InlineData("export DB_PASS='hunter2!x'", "hunter2!x", "password-assignment")]
    [InlineData("spring.datasource.password = s3cretPassw0rd", "s3cretPassw0rd", "password-assignment")]
    [InlineData("secret=\"XdnBsJWJ9yS6bG10hXa5+KkGCr1HKMv5g\"", "XdnBsJWJ9yS6bG10hXa5+KkGCr1HKMv5g", "secret-assignment")]
    [InlineData("\"client_secret\": \"8Q~xv9Lk2mN4pR7sT1uW3yZ5aB6cD8eF0gH\",", "8Q~xv9Lk2mN4pR7sT1uW3yZ5aB6cD8eF0gH", "secret-assignment")]
    [InlineData("apiKey := \"3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e\"", "3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e", "secret-assignment")]
    [InlineData("X-API-Key: 7d2f8a9c4b1e6d3f0a5c8b2e9d4f1a7c", "7d2f8a9c4b1e6d3f0a5c8b2e9d4f1a7c", "secret-assignment")]
    [InlineData("access_token => 'ya29A0ARrdaM8xK2Lp9Qv4Wz7Nc1'", "ya29A0ARrdaM8xK2Lp9Qv4Wz7Nc1", "secret-assignment")]
    [InlineData("password = \"hunter2", "hunter2", "password-assignment")] // the closing quote not typed yet
    public void SecretValues_OnlyTheValueIsFound(string text, string value, string rule)
    {
        Assert.Equal([Secret(value, rule)], In(text));
    }

    [Theory]
    [InlineData("password: changeme")]
    [InlineData("password=${DB_PASSWORD}")]
    [InlineData("DB_PASSWORD=$DB_PASSWORD")]
    [InlineData("api_key: \"<your api key>\"")]
    [InlineData("api_key = \"your_api_key_here\"")]
    [InlineData("token: xxxxxxxxxxxxxxxxxxxxxxxx")]
    [InlineData("password: \"********\"")]
    [InlineData("secret: example-secret-1234567890")]
    [InlineData("password: aaaaaaaaaaaa")]
    [InlineData("client_secret: {{ .Values.clientSecret }}")]
    public void Placeholders_AreNotSecrets(string text)
    {
        Assert.Empty(In(text));
    }

    [Theory]
    [InlineData("  password: string;")]
    [InlineData("pub struct Login { password: String, key: Option<Key> }")]
    [InlineData("let key = self.key;")]
    [InlineData("token = get_token(user)")]
    [InlineData("password = user.password")]
    [InlineData("const apiKey = process.env.API_KEY;")]
    [InlineData("password = newPassword")]
    [InlineData("if password == \"letmein123\" {")]
    [InlineData("Key = null")]
    [InlineData("Key = Map({opId: opId})")]
    [InlineData("\"Secret\": \"a secret\",")]
    [InlineData("\"RuleID\": \"pypi-upload-token\",")]
    [InlineData("api/ignoreGlobal.go:aws-access-key:20")]
    [InlineData("token_count = 1234567890123456789")]
    [InlineData("primary_key: id")]
    [InlineData("key: src/components/Editor.svelte")]
    [InlineData("\taws_token := os.Getenv(\"AWS_TOKEN\")")]
    [InlineData("the API key: see the settings page")]
    public void CodeTypesAndProse_AreNotSecrets(string text)
    {
        Assert.Empty(In(text));
    }

    [Fact]
    public void ContainerRegistryAuth_EveryRegistry()
    {
        const string json = """{"auths":{"quay.io":{"auth":"jj8AYnG-gSfo-v_JwtBSWCoVXi3q5","email":"ci@example.org"},"ghcr.io":{"auth":"dXNlcjpnaHBfc2VjcmV0dG9rZW4="}}}""";

        Assert.Equal(
            [
                Secret("jj8AYnG-gSfo-v_JwtBSWCoVXi3q5", "container-registry-auth"),
                (FindingKind.Email, "ci@example.org", "email"),
                Secret("dXNlcjpnaHBfc2VjcmV0dG9rZW4=", "container-registry-auth"),
            ],
            In(json));
    }
}
