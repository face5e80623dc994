// What the benchmark configurations share: the training template with the local all-MiniLM-L6-v2
// encoder, the CPU batch size, and the run's settings (a JSON object of the template's hidden
// fields; `"paper": true` selects the paper's recipe as the starting point).
local stsn = import "../../training_config/stsn.libsonnet";

local parse(settings_json) = std.parseJson(settings_json);

{
  // The template (or the paper's recipe) with the encoder and the CPU batch size.
  Recipe(settings_json):: (
    local settings = parse(settings_json);
    local paper = std.objectHas(settings, "paper") && settings.paper;
    (if paper then stsn.Stsn + stsn.Paper else stsn.Stsn) + {
      model_name:: std.extVar("STSN_BENCH_MODEL"),
      transformer_dim:: 384,   // all-MiniLM-L6-v2: hidden 384, 6 layers, uncased
      num_heads:: 8,           // 48 dimensions per head
      batch_size:: 8,          // the paper's is 4; on 2 CPU cores 8 runs an epoch in about half the time
    }
  ),

  // The run's settings, without the recipe switch.
  Settings(settings_json):: (
    local settings = parse(settings_json);
    {[name]: settings[name] for name in std.objectFields(settings) if name != "paper"}
  ),
}
