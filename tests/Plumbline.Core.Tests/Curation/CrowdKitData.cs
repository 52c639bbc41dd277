using Plumbline.Core.Curation;

namespace Plumbline.Core.Tests.Curation;

/// <summary>Fixtures of crowd-kit's public test suite (Toloka/crowd-kit, tests/conftest.py and tests/aggregation/test_ds_aggregation.py).</summary>
internal static class CrowdKitData
{
    /// <summary>crowd-kit's "toy YSDA" answers (worker, task, label) and its ground truth.</summary>
    public static readonly LabelRow[] Toy =
    [
        new("t1", "w1", "no"), new("t2", "w1", "yes"), new("t3", "w1", "yes"), new("t4", "w1", "yes"), new("t5", "w1", "yes"),
        new("t1", "w2", "yes"), new("t2", "w2", "yes"), new("t3", "w2", "no"), new("t4", "w2", "yes"), new("t5", "w2", "no"),
        new("t2", "w3", "yes"), new("t3", "w3", "no"), new("t4", "w3", "yes"), new("t5", "w3", "no"),
        new("t1", "w4", "yes"), new("t2", "w4", "no"), new("t3", "w4", "yes"), new("t4", "w4", "yes"), new("t5", "w4", "no"),
        new("t1", "w5", "no"), new("t2", "w5", "no"), new("t3", "w5", "no"), new("t4", "w5", "yes"), new("t5", "w5", "no"),
    ];

    public static readonly string[] ToyTruth = ["yes", "yes", "no", "yes", "no"];

    /// <summary>The `data` fixture of test_dawid_skene_step_by_step (task, worker, label).</summary>
    public static readonly LabelRow[] StepByStep =
    [
        new("t1", "w1", "no"), new("t1", "w2", "yes"), new("t1", "w4", "yes"), new("t1", "w5", "no"),
        new("t2", "w1", "yes"), new("t2", "w2", "yes"), new("t2", "w3", "yes"), new("t2", "w4", "no"), new("t2", "w5", "no"),
        new("t3", "w1", "yes"), new("t3", "w2", "no"), new("t3", "w3", "no"), new("t3", "w4", "yes"), new("t3", "w5", "no"),
        new("t4", "w1", "yes"), new("t4", "w2", "yes"), new("t4", "w3", "yes"), new("t4", "w4", "yes"), new("t4", "w5", "yes"),
        new("t5", "w1", "yes"), new("t5", "w2", "no"), new("t5", "w3", "no"), new("t5", "w4", "no"), new("t5", "w5", "no"),
    ];

    /// <summary>crowd-kit's "simple" dataset imitating real Toloka answers: good workers, a fraudster always answering parrot, a careless one.</summary>
    public static LabelRow[] Simple()
    {
        const string p = "1231239876--5fac0d234ffb2f3b00893";
        (string Worker, string Task, string Label)[] rows =
        [
            ("bde3b214b06c1efa6cb1bc6284dc72d2", "eec", "goose"), ("bde3b214b06c1efa6cb1bc6284dc72d2", "efb", "parrot"),
            ("bde3b214b06c1efa6cb1bc6284dc72d2", "f03", "goose"), ("bde3b214b06c1efa6cb1bc6284dc72d2", "f05", "goose"),
            ("bde3b214b06c1efa6cb1bc6284dc72d2", "f02", "parrot"), ("bde3b214b06c1efa6cb1bc6284dc72d2", "f08", "parrot"),
            ("b17c3301ad2ccbb798716fdd405d16e8", "efb", "parrot"), ("b17c3301ad2ccbb798716fdd405d16e8", "ee8", "chicken"),
            ("b17c3301ad2ccbb798716fdd405d16e8", "f07", "parrot"), ("b17c3301ad2ccbb798716fdd405d16e8", "efd", "chicken"),
            ("b17c3301ad2ccbb798716fdd405d16e8", "ee4", "chicken"), ("b17c3301ad2ccbb798716fdd405d16e8", "f03", "goose"),
            ("a452e450f913cfa987cad58d50393718", "ee8", "chicken"), ("a452e450f913cfa987cad58d50393718", "eec", "goose"),
            ("a452e450f913cfa987cad58d50393718", "f05", "goose"), ("a452e450f913cfa987cad58d50393718", "f02", "parrot"),
            ("a452e450f913cfa987cad58d50393718", "f08", "parrot"),
            ("0f65edea0a6dc7b9acba1dea313bbb3d", "eec", "goose"), ("0f65edea0a6dc7b9acba1dea313bbb3d", "ee8", "chicken"),
            ("0f65edea0a6dc7b9acba1dea313bbb3d", "f03", "goose"), ("0f65edea0a6dc7b9acba1dea313bbb3d", "ee4", "chicken"),
            ("0c3eb7d5fcc414db137c4180a654c06e", "eec", "parrot"), ("0c3eb7d5fcc414db137c4180a654c06e", "efb", "parrot"),
            ("0c3eb7d5fcc414db137c4180a654c06e", "f07", "parrot"), ("0c3eb7d5fcc414db137c4180a654c06e", "efd", "parrot"),
            ("0c3eb7d5fcc414db137c4180a654c06e", "ee4", "parrot"), ("0c3eb7d5fcc414db137c4180a654c06e", "f05", "parrot"),
            ("e563e2fb32fce9f00123a65a1bc78c55", "efb", "parrot"), ("e563e2fb32fce9f00123a65a1bc78c55", "ee8", "goose"),
            ("e563e2fb32fce9f00123a65a1bc78c55", "f02", "parrot"), ("e563e2fb32fce9f00123a65a1bc78c55", "f08", "parrot"),
            ("e563e2fb32fce9f00123a65a1bc78c55", "f07", "parrot"), ("e563e2fb32fce9f00123a65a1bc78c55", "efd", "goose"),
        ];
        return rows.Select(r => new LabelRow(p + r.Task, r.Worker, r.Label)).ToArray();
    }

    public static readonly Dictionary<string, string> SimpleTruth = new()
    {
        ["1231239876--5fac0d234ffb2f3b00893eec"] = "goose",
        ["1231239876--5fac0d234ffb2f3b00893f03"] = "goose",
        ["1231239876--5fac0d234ffb2f3b00893f05"] = "goose",
        ["1231239876--5fac0d234ffb2f3b00893efb"] = "parrot",
        ["1231239876--5fac0d234ffb2f3b00893f02"] = "parrot",
        ["1231239876--5fac0d234ffb2f3b00893f08"] = "parrot",
        ["1231239876--5fac0d234ffb2f3b00893f07"] = "parrot",
        ["1231239876--5fac0d234ffb2f3b00893ee8"] = "chicken",
        ["1231239876--5fac0d234ffb2f3b00893efd"] = "chicken",
        ["1231239876--5fac0d234ffb2f3b00893ee4"] = "chicken",
    };
}
