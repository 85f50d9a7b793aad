// The `network:` block: sim::NetworkConfig (sim/network/network_config.hpp), checked by sim::validate.
#include <fmt/core.h>

#include "models/scenario/scenario_keys.hpp"
#include "models/scenario/units.hpp"

namespace models::scenario {

namespace {

const std::vector<std::pair<std::string, sim::JitterDist>> kJitter = {
    {"none", sim::JitterDist::none}, {"lognormal", sim::JitterDist::lognormal}, {"pareto", sim::JitterDist::pareto}};
const std::vector<std::pair<std::string, sim::Delivery>> kDelivery = {
    {"reliable_ordered", sim::Delivery::reliable_ordered}, {"best_effort", sim::Delivery::best_effort}};

KeySpec jitter_dist_spec() { return KeySpec::choice({}).doc("jitter distribution").from("assumption: off unless set"); }
KeySpec jitter_scale_spec() {
  return KeySpec::number().greater_than(0).in("fraction of base latency")
      .doc("median (lognormal) or scale (pareto) of the jitter").from("assumption");
}
KeySpec jitter_sigma_spec() { return KeySpec::number().greater_than(0).doc("lognormal shape (sd of ln J)").from("scenario sketch"); }
KeySpec jitter_alpha_spec() { return KeySpec::number().greater_than(0).doc("pareto tail index").from("assumption"); }

template <class T>
void jitter_keys(Block<T>& b) {
  b.key_enum("dist", &sim::JitterConfig::dist, kJitter, jitter_dist_spec());
  b.key("scale", &sim::JitterConfig::scale, jitter_scale_spec());
  b.key("sigma", &sim::JitterConfig::sigma, jitter_sigma_spec());
  b.key("alpha", &sim::JitterConfig::alpha, jitter_alpha_spec());
}

std::string jitter_json(const sim::JitterConfig& j) {
  return fmt::format("{{\"dist\":\"{}\",\"scale\":{},\"sigma\":{},\"alpha\":{}}}", sim::to_string(j.dist),
                     format_number(j.scale), format_number(j.sigma), format_number(j.alpha));
}

// region_links[i].jitter: the same keys as network.jitter, optional as a whole.
void decode_jitter(sim::JitterConfig& j, const Node& v, const std::string& path, Diagnostics& out) {
  if (!v.is_map()) {
    out.push_back({v.where, path, fmt::format("expected a map of jitter keys (dist, scale, sigma, alpha), got {}", v.kind_name())});
    return;
  }
  for (const auto& e : v.map) {
    const std::string p = path + "." + e.key;
    if (e.key == "dist") {
      bool found = false;
      for (const auto& [n, d] : kJitter)
        if (e.value.is_scalar() && e.value.scalar == n) {
          j.dist = d;
          found = true;
        }
      if (!found) {
        KeySpec s = KeySpec::choice({"none", "lognormal", "pareto"});
        detail::unknown_choice(s, e.value, p, out);
      }
    } else if (e.key == "scale") {
      detail::decode_into(j.scale, jitter_scale_spec(), e.value, p, out);
    } else if (e.key == "sigma") {
      detail::decode_into(j.sigma, jitter_sigma_spec(), e.value, p, out);
    } else if (e.key == "alpha") {
      detail::decode_into(j.alpha, jitter_alpha_spec(), e.value, p, out);
    } else {
      const std::string hint = did_you_mean(e.key, {"dist", "scale", "sigma", "alpha"});
      out.push_back({e.key_where, p, fmt::format("unknown key '{}' ({})", e.key, hint.empty() ? "valid keys here: dist, scale, sigma, alpha" : hint)});
    }
  }
}

}  // namespace

void register_network_keys(Block<ScenarioConfig>& root) {
  auto net = root.block("network", &ScenarioConfig::network, "message network between actors (sim/network/network_config.hpp)");
  net.key_enum("topology", &sim::NetworkConfig::topology,
               {{"full_mesh", sim::TopologyKind::full_mesh}, {"edges", sim::TopologyKind::edges},
                {"random_graph", sim::TopologyKind::random_graph}},
               KeySpec::choice({}).doc("how hosts are connected").from("assumption: every host reaches every other"));
  net.key("regions", &sim::NetworkConfig::regions,
          KeySpec::text_list().doc("region names (full_mesh); empty: one implicit region").from("-"));
  net.key_with(
      "latency", KeySpec::text().in("map: region -> region -> duration").doc("one-way base latency per region pair (symmetric)")
                     .from("-"),
      [](sim::NetworkConfig& n, const Node& v, const std::string& path, Diagnostics& out) {
        if (v.is_null()) return;
        if (!v.is_map()) {
          out.push_back({v.where, path, fmt::format("expected a map region -> {{region: latency}}, got {}", v.kind_name())});
          return;
        }
        n.latency.clear();
        for (const auto& a : v.map) {
          if (!a.value.is_map()) {
            out.push_back({a.value.where, path + "." + a.key, fmt::format("expected a map region -> latency, got {}", a.value.kind_name())});
            continue;
          }
          for (const auto& b : a.value.map) {
            sim::Duration d;
            detail::decode_into(d, KeySpec::duration().at_least(0), b.value, path + "." + a.key + "." + b.key, out);
            n.latency[a.key][b.key] = d;
          }
        }
      },
      [](const sim::NetworkConfig& n) {
        std::string j = "{";
        for (const auto& [a, row] : n.latency) {
          if (j.size() > 1) j += ',';
          j += detail::json_string(a);
          j += ":{";
          bool first = true;
          for (const auto& [b, d] : row) {
            if (!first) j += ',';
            first = false;
            j += detail::json_string(b);
            j += ':';
            j += detail::json_string(format_duration(d));
          }
          j += '}';
        }
        return j + "}";
      });
  net.key("intra_region_latency", &sim::NetworkConfig::intra_region_latency,
          KeySpec::duration().at_least(0).doc("base latency inside a region").from("assumption: 1 ms"));
  auto jitter = net.block("jitter", &sim::NetworkConfig::jitter, "network-wide random extra delay per message and hop");
  jitter_keys(jitter);
  net.key("bandwidth_bps", &sim::NetworkConfig::bandwidth_bps,
          KeySpec::integer().in("bits/s").doc("link bandwidth for serialization delay; 0 = infinite").from("assumption: infinite"));
  net.key("loss", &sim::NetworkConfig::loss,
          KeySpec::number().at_least(0).less_than(1).in("probability").doc("loss probability per transmission").from("assumption: none"));

  auto links = net.list("region_links", &sim::NetworkConfig::region_links, "per-region-pair overrides (full_mesh)");
  links.key("a", &sim::RegionLinkConfig::a, KeySpec::text().required().doc("region name").from("-"));
  links.key("b", &sim::RegionLinkConfig::b, KeySpec::text().required().doc("region name (may equal a)").from("-"));
  links.key_with(
      "jitter", KeySpec::text().in("map: dist, scale, sigma, alpha").doc("replaces network.jitter for this pair").from("-"),
      [](sim::RegionLinkConfig& l, const Node& v, const std::string& path, Diagnostics& out) {
        sim::JitterConfig j = l.jitter.value_or(sim::JitterConfig{});
        const std::size_t before = out.size();
        decode_jitter(j, v, path, out);
        if (out.size() == before) l.jitter = j;
      },
      [](const sim::RegionLinkConfig& l) { return l.jitter ? jitter_json(*l.jitter) : std::string("null"); });
  links.key("bandwidth_bps", &sim::RegionLinkConfig::bandwidth_bps,
            KeySpec::integer().in("bits/s").doc("replaces network.bandwidth_bps").from("-"));
  links.key("loss", &sim::RegionLinkConfig::loss,
            KeySpec::number().at_least(0).less_than(1).in("probability").doc("replaces network.loss").from("-"));

  auto edges = net.list("edges", &sim::NetworkConfig::edges, "explicit undirected edges (topology: edges)");
  edges.key("a", &sim::EdgeConfig::a, KeySpec::text().required().doc("host name").from("-"));
  edges.key("b", &sim::EdgeConfig::b, KeySpec::text().required().doc("host name").from("-"));
  auto link = edges.block("link", &sim::EdgeConfig::link, "the edge's parameters");
  link.key("latency", &sim::LinkParams::latency, KeySpec::duration().at_least(0).doc("one-way base latency").from("assumption: 50 ms"));
  auto ljitter = link.block("jitter", &sim::LinkParams::jitter, "the edge's jitter");
  jitter_keys(ljitter);
  link.key("bandwidth_bps", &sim::LinkParams::bandwidth_bps, KeySpec::integer().in("bits/s").doc("0 = infinite").from("assumption: infinite"));
  link.key("loss", &sim::LinkParams::loss, KeySpec::number().at_least(0).less_than(1).in("probability")
                                                 .doc("loss probability per transmission").from("assumption: none"));

  auto rg = net.block("random_graph", &sim::NetworkConfig::random_graph, "seeded random topology (topology: random_graph)");
  rg.key_enum("model", &sim::RandomGraphConfig::model,
              {{"waxman", sim::RandomGraphModel::waxman}, {"geometric", sim::RandomGraphModel::geometric}},
              KeySpec::choice({}).doc("graph model").from("assumption"));
  rg.key("seed", &sim::RandomGraphConfig::seed, KeySpec::integer().doc("the graph's own seed (same graph in every replication)").from("assumption"));
  rg.key("alpha", &sim::RandomGraphConfig::alpha, KeySpec::number().greater_than(0).at_most(1).doc("waxman distance decay").from("assumption"));
  rg.key("beta", &sim::RandomGraphConfig::beta, KeySpec::number().greater_than(0).at_most(1).doc("waxman edge probability at distance 0").from("assumption"));
  rg.key("radius", &sim::RandomGraphConfig::radius, KeySpec::number().greater_than(0).at_most(1.5).doc("geometric connection radius (unit square)").from("assumption"));
  rg.key("latency_per_unit", &sim::RandomGraphConfig::latency_per_unit,
         KeySpec::duration().at_least(0).doc("base latency per unit of distance").from("assumption: 100 ms"));
  rg.key("min_latency", &sim::RandomGraphConfig::min_latency,
         KeySpec::duration().at_least(0).doc("base latency of an edge of length 0").from("assumption: 1 ms"));
  rg.key("connect_components", &sim::RandomGraphConfig::connect_components,
         KeySpec::boolean().doc("join disconnected components through their closest hosts").from("assumption"));

  net.key_enum("default_delivery", &sim::NetworkConfig::default_delivery, kDelivery,
               KeySpec::choice({}).doc("delivery of message kinds not in channels").from("assumption: TCP-like"));
  net.key_with(
      "channels", KeySpec::text().in("map: message kind -> delivery").doc("delivery per message kind (reliable_ordered | best_effort)")
                      .from("-"),
      [](sim::NetworkConfig& n, const Node& v, const std::string& path, Diagnostics& out) {
        if (v.is_null()) return;
        if (!v.is_map()) {
          out.push_back({v.where, path, fmt::format("expected a map message kind -> delivery, got {}", v.kind_name())});
          return;
        }
        n.channels.clear();
        for (const auto& e : v.map) {
          bool found = false;
          for (const auto& [name, d] : kDelivery)
            if (e.value.is_scalar() && e.value.scalar == name) {
              n.channels[e.key] = d;
              found = true;
            }
          if (!found) detail::unknown_choice(KeySpec::choice({"reliable_ordered", "best_effort"}), e.value, path + "." + e.key, out);
        }
      },
      [](const sim::NetworkConfig& n) {
        std::string j = "{";
        for (const auto& [k, d] : n.channels) {
          if (j.size() > 1) j += ',';
          j += detail::json_string(k);
          j += ':';
          j += detail::json_string(std::string(sim::to_string(d)));
        }
        return j + "}";
      });
  net.key("retransmit_timeout", &sim::NetworkConfig::retransmit_timeout,
          KeySpec::duration().greater_than(0).doc("reliable channels: delay per lost transmission (doubles each retry)")
              .from("assumption: Linux TCP_RTO_MIN 200 ms"));
  net.key("max_retransmissions", &sim::NetworkConfig::max_retransmissions,
          KeySpec::integer().at_most(30).doc("reliable channels: give up after this many").from("assumption: Linux tcp_retries2"));
  net.validate([](const sim::NetworkConfig& n, const std::string&, sim::ConfigIssues& out) { out.append(sim::validate(n)); });
}

}  // namespace models::scenario
