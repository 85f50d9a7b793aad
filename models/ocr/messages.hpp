#pragma once
// The OCR protocol messages (libocr protocol/message.go; OCR2: ocr2/protocol/message.go, whose observe-req and
// report-req also carry the plugin's query, empty for the median plugin) and their modelled wire sizes.
#include <cstddef>
#include <variant>
#include <vector>

#include "models/ocr/report.hpp"

namespace models::ocr {

struct NewEpochMsg { Epoch epoch = 0; };
struct ObserveReqMsg { Epoch epoch = 0; Round round = 0; };
struct ObserveMsg { Epoch epoch = 0; Round round = 0; SignedObservation observation; };
struct ReportReqMsg { Epoch epoch = 0; Round round = 0; std::vector<AttributedSignedObservation> observations; };
struct ReportMsg { Epoch epoch = 0; Round round = 0; AttestedReportOne report; };
struct FinalMsg { Epoch epoch = 0; Round round = 0; AttestedReportMany report; };
struct FinalEchoMsg { FinalMsg final; };

using Message = std::variant<NewEpochMsg, ObserveReqMsg, ObserveMsg, ReportReqMsg, ReportMsg, FinalMsg, FinalEchoMsg>;

struct Outgoing {
  OracleId to = kBroadcast;  // an oracle, or kBroadcast (every oracle including the sender, as libocr's Broadcast)
  Message message;
};

// Modelled serialized size in bytes (assumption: protobuf-like framing). Each message pays a 64-byte envelope
// (type, 16-byte config digest, epoch, round, authenticated-channel framing); an observation 32 bytes (int192),
// an offchain signature 64 bytes (ed25519), an on-chain signature 65 bytes (secp256k1), an observer id 1 byte.
// OCR2 observations and reports also carry a timestamp and juelsPerFeeCoin (a final report its extraHash).
std::size_t wire_size(const Message& m, OcrVersion version);

// Short name of a message type ("newepoch", "observe-req", ...), for logs and per-type counters.
const char* message_name(const Message& m);

}  // namespace models::ocr
