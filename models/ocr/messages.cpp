#include "models/ocr/messages.hpp"

namespace models::ocr {
namespace {
constexpr std::size_t kEnvelope = 64;
constexpr std::size_t kValue = 32;
constexpr std::size_t kOffchainSig = 64;
constexpr std::size_t kOnchainSig = 65;
constexpr std::size_t kObserverId = 1;

constexpr std::size_t kOcr2Extra = 4 + 24;  // OCR2: a timestamp (uint32) and juelsPerFeeCoin (int192)

std::size_t report_bytes(const std::vector<AttributedObservation>& obs) { return obs.size() * (kValue + kObserverId); }


struct Size {
  bool ocr2 = false;
  // OCR2 reports and observations carry a timestamp and juelsPerFeeCoin (a final report also its extraHash).
  std::size_t extra(std::size_t more = 0) const { return ocr2 ? kOcr2Extra + more : 0; }
  std::size_t operator()(const NewEpochMsg&) const { return kEnvelope; }
  std::size_t operator()(const ObserveReqMsg&) const { return kEnvelope; }
  std::size_t operator()(const ObserveMsg&) const { return kEnvelope + kValue + kOffchainSig + extra(); }
  std::size_t operator()(const ReportReqMsg& m) const {
    return kEnvelope + m.observations.size() * (kValue + kOffchainSig + kObserverId + extra());
  }
  std::size_t operator()(const ReportMsg& m) const {
    if (m.report.skip) return kEnvelope + 1;
    return kEnvelope + report_bytes(m.report.observations) + kOnchainSig + extra();
  }
  std::size_t operator()(const FinalMsg& m) const {
    return kEnvelope + report_bytes(m.report.observations) + m.report.signatures.size() * kOnchainSig +
           extra(32);
  }
  std::size_t operator()(const FinalEchoMsg& m) const { return (*this)(m.final); }
};

struct Name {
  const char* operator()(const NewEpochMsg&) const { return "newepoch"; }
  const char* operator()(const ObserveReqMsg&) const { return "observe-req"; }
  const char* operator()(const ObserveMsg&) const { return "observe"; }
  const char* operator()(const ReportReqMsg&) const { return "report-req"; }
  const char* operator()(const ReportMsg&) const { return "report"; }
  const char* operator()(const FinalMsg&) const { return "final"; }
  const char* operator()(const FinalEchoMsg&) const { return "final-echo"; }
};
}  // namespace

std::size_t wire_size(const Message& m, OcrVersion version) { return std::visit(Size{version == OcrVersion::ocr2}, m); }
const char* message_name(const Message& m) { return std::visit(Name{}, m); }

}  // namespace models::ocr
