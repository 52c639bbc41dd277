using System.Text;

namespace Plumbline.Storage.Samples;

/// <summary>
/// The sample's meeting: a short, scripted WebVTT transcript of a research check-in (written for the
/// sample; the public WebVTT files are parser test cases, not meetings). Its speakers are voice tags:
/// <c>alice</c> and <c>rita</c> map to the sample's contributors; <c>guest</c> maps to nobody, so the
/// guest's cues are stored as gaps — the rule for people who have not consented.
/// </summary>
internal static class MeetingScript
{
    public const string Meeting = "weekly-check-in";

    public static readonly DateTimeOffset Start = new(2026, 11, 2, 15, 0, 0, TimeSpan.Zero);

    public static byte[] Bytes => Encoding.UTF8.GetBytes(Text);

    private const string Text = """
        WEBVTT

        1
        00:00:01.000 --> 00:00:06.500
        <v alice>I rewrote the reward hacking section of the note after your comment.

        2
        00:00:07.000 --> 00:00:12.000
        <v rita>Good. Did you add where it was first observed? That was the main gap.

        3
        00:00:12.500 --> 00:00:19.000
        <v alice>Yes, with the boat racing example, and a definition that does not depend on it.

        4
        00:00:19.500 --> 00:00:24.000
        <v guest>Could the same definition cover specification gaming in general?

        5
        00:00:24.500 --> 00:00:31.000
        <v rita>Probably, but keep them apart in the note; the evidence is different.

        6
        00:00:45.000 --> 00:00:50.000
        <v alice>Agreed. I will resolve your comment once the citation is in.

        """;
}
