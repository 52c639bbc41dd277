using System.Text;
using Plumbline.Core.Privacy;
using static Plumbline.Core.Tests.Privacy.Found;

namespace Plumbline.Core.Tests.Privacy;

public class TokenRuleTests
{
    private const string GitHubPat = "ghp_R2d2C3poLuke5kyWalker0Leia1Han2Solo7";

    [Fact]
    public void AwsAccessKeyId_InCode_ExactSpan()
    {
        var found = new SecretDetector().Detect("\taws_token := \"AKIALALEMEL33243OLIA\"\n");

        Assert.Equal([new Finding(FindingKind.Secret, 15, 35, "aws-access-key-id")], found);
    }

    [Theory]
    [InlineData("AKIAIOSFODNN7EXAMPLE")] // the AWS documentation's example key
    [InlineData("aws_access_key_id = AKIAXXXXXXXXXXXXXXXX")]
    [InlineData("AKIALALEMEL33243OLIAX")] // 17 characters after the prefix: not a key id
    [InlineData("secret='ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'")] // GitHub's placeholder
    [InlineData("ghp_R2d2C3poLuke5kyWalker0Leia1Han2Sol")] // one character short
    [InlineData("npm_ is the prefix of npm tokens")]
    [InlineData("https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX")] // Slack's docs
    [InlineData("the task-runner-configuration-file-name is long")] // sk- inside a word
    [InlineData("sk-this-is-not-a-real-key-at-all")] // no digits
    public void PlaceholdersAndLookalikes_AreNotSecrets(string text)
    {
        Assert.Empty(In(text));
    }

    [Theory]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYzN3xAmplq2", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzN3xAmplq2", "aws-secret-access-key")]
    [InlineData("GITHUB_TOKEN=" + GitHubPat, GitHubPat, "github-token")]
    [InlineData("gh auth login --with-token github_pat_11ABCDEFG0aBcDeFgHiJkL_MnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz01234", "github_pat_11ABCDEFG0aBcDeFgHiJkL_MnOpQrStUvWxYz0123456789AbCdEfGhIjKlMnOpQrStUvWxYz01234", "github-token")]
    [InlineData("NPM=npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8 npm publish", "npm_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8", "npm-token")]
    [InlineData("//registry.npmjs.org/:_authToken=6bM3d5xWYGcmXM01Ht77f4ga8xESVerk13uuS", "6bM3d5xWYGcmXM01Ht77f4ga8xESVerk13uuS", "npmrc-auth-token")]
    [InlineData("slack: xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx.", "xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx", "slack-token")]
    [InlineData("POST https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/3kJ8h2Lq9Zx7Vb4Nm1Pw6Rt5 now", "https://hooks.slack.com/services/T024BE7LD/B01ABCDEF12/3kJ8h2Lq9Zx7Vb4Nm1Pw6Rt5", "slack-webhook")]
    [InlineData("maps('AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY')", "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY", "google-api-key")]
    [InlineData("client = OpenAI(api_key=sk-proj-T3BlbkFJ8x2Qm4Lr7Vn1Kd9Zp5Wy)", "sk-proj-T3BlbkFJ8x2Qm4Lr7Vn1Kd9Zp5Wy", "openai-key")]
    [InlineData("export OPENAI=sk-9fQ2mX7LpR4tV8wZ1yB3nC6d", "sk-9fQ2mX7LpR4tV8wZ1yB3nC6d", "openai-key")]
    public void KnownPrefixes_FoundWithExactText(string text, string secret, string rule)
    {
        Assert.Equal([Secret(secret, rule)], In(text));
    }

    [Fact]
    public void Jwt_TheJwtIoExample_IsOneSecret()
    {
        // The example token shown on jwt.io (RFC 7519 header {"alg":"HS256","typ":"JWT"}).
        const string jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

        Assert.Equal([Secret(jwt, "jwt")], In($"cookie: session={jwt}; Path=/"));
    }

    [Fact]
    public void AuthorizationHeaders_ValueOnly()
    {
        Assert.Equal(
            [Secret("arQiwF9k82w8bHeWR-ZM60vh1m5A5FKAIHoV2KW", "authorization-header")],
            In("curl -H 'Authorization: Bearer arQiwF9k82w8bHeWR-ZM60vh1m5A5FKAIHoV2KW' https://api.example.org"));

        // RFC 7617's example credentials ("Aladdin:open sesame").
        Assert.Equal([Secret("QWxhZGRpbjpvcGVuIHNlc2FtZQ==", "authorization-header")], In("Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
        Assert.Equal([Secret("tok3nV4lueAbCdEf9876", "authorization-header")], In("headers = {\"Authorization\": \"token tok3nV4lueAbCdEf9876\"}"));
        Assert.Equal([Secret("9f8e7d6c5b4a39281706abcd", "authorization-header")], In("use the Bearer 9f8e7d6c5b4a39281706abcd for now"));
    }

    [Theory]
    [InlineData("Authorization: Bearer $TOKEN")]
    [InlineData("Authorization: Bearer ${GITHUB_TOKEN}")]
    [InlineData("Authorization: Bearer <token>")]
    [InlineData("Authorization: `Bearer ${token}`")]
    [InlineData("the bearer of bad news")]
    [InlineData("Basic authentication uses a base64-encoded pair")]
    public void AuthorizationPlaceholdersAndProse_AreNotSecrets(string text)
    {
        Assert.Empty(In(text));
    }

    [Theory]
    [InlineData("DATABASE_URL=postgres://app:S3cr3t-pa55@db.internal:5432/app", "S3cr3t-pa55")]
    [InlineData("git clone https://alice:hunter22@git.example.org/repo.git", "hunter22")]
    public void UrlPassword_PasswordOnly(string text, string password)
    {
        Assert.Equal([Secret(password, "url-password")], In(text));
    }

    [Theory]
    [InlineData("postgres://user:${DB_PASSWORD}@localhost/db")]
    [InlineData("https://user:password@host.example/")]
    [InlineData("see https://observablehq.com/@josephg/crdt-benchmarks")]
    public void UrlPassword_PlaceholdersAreNotSecrets(string text)
    {
        Assert.Empty(In(text));
    }

    [Fact]
    public void PrivateKey_CompleteBlock_FromBeginThroughEnd()
    {
        const string block = "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oF9TqsIKyQVVoAoGCCqGSM49\n-----END EC PRIVATE KEY-----";

        Assert.Equal([Secret(block, "private-key")], In("key:\n" + block + "\nafter"));
    }

    [Fact]
    public void PrivateKey_EndNotTypedYet_RunsToTheEndOfTheText()
    {
        const string text = "notes\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMw\nmore text\n-----END OPENSSH PRI";

        Assert.Equal([new Finding(FindingKind.Secret, 6, text.Length, "private-key")], new SecretDetector().Detect(text));
    }

    [Fact]
    public void PrivateKey_PublicKeyAndCertificate_AreNotSecrets()
    {
        Assert.Empty(In("-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n-----BEGIN CERTIFICATE-----\n"));
    }

    [Fact]
    public void EncodedSecret_Base64OfAnEnvFile_WholeBlob()
    {
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes("GITHUB_TOKEN=" + GitHubPat + "\n"));

        Assert.Equal([Secret(blob, "encoded-secret")], In("CI_ENV_B64: " + blob));
    }

    [Fact]
    public void EncodedSecret_TwiceEncoded_FoundAtDepthTwo()
    {
        var inner = Convert.ToBase64String(Encoding.UTF8.GetBytes("api_key: sk-proj-T3BlbkFJ8x2Qm4Lr7Vn1Kd9Zp5Wy\n"));
        var outer = Convert.ToBase64String(Encoding.UTF8.GetBytes("data: " + inner + "\n"));

        Assert.Equal([Secret(outer, "encoded-secret")], In(outer));
    }

    [Fact]
    public void EncodedSecret_HarmlessBase64_IsNothing()
    {
        var blob = Convert.ToBase64String(Encoding.UTF8.GetBytes("Just some harmless words that are long enough to be a blob."));

        Assert.Empty(In("payload " + blob));
    }
}
