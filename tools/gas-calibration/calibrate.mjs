// Measures the receipt gas of the calls oraclesim meters on the real contracts, compiled with their pinned
// compilers and run in @ethereumjs/vm at the Cancun hardfork, and writes them as a CSV table (README.md):
//
//   node calibrate.mjs --libocr DIR [--out FILE]
//
// DIR is a checkout of smartcontractkit/libocr (contract/ and contract2/ are read from it; their sha256 go in the
// table's header; nothing of them is copied). FluxAggregator and the v0.4 LinkToken come from @chainlink/contracts
// 0.4.2, the v0.8 Operator and ChainlinkClient, the Data Streams contracts (llo-feeds) and WETH9 from
// @chainlink/contracts 1.1.1 (an npm alias).
// Every contract is driven into steady state (its storage written by earlier rounds, as on a feed that has run for
// a while) before the measured call.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createVM, runTx } from '@ethereumjs/vm';
import { Common, Mainnet, Hardfork } from '@ethereumjs/common';
import { createLegacyTx } from '@ethereumjs/tx';
import { createBlock } from '@ethereumjs/block';
import { Account, bytesToHex, hexToBytes, createAddressFromPrivateKey, createAddressFromString } from '@ethereumjs/util';
import { ethers } from 'ethers';

const require = createRequire(import.meta.url);
const here = path.dirname(new URL(import.meta.url).pathname);
const HARDFORK = Hardfork.Cancun;
const OPTIMIZER = { enabled: true, runs: 1000000 };
const GAS_PRICE = 30n * 10n ** 9n;  // 30 gwei; OCR reimbursement arithmetic runs but changes no gas

function args() {
  const a = process.argv.slice(2);
  const get = (k) => { const i = a.indexOf(k); return i >= 0 ? a[i + 1] : undefined; };
  const libocr = get('--libocr');
  if (!libocr || !fs.existsSync(path.join(libocr, 'contract2/OCR2Aggregator.sol'))) {
    console.error('usage: node calibrate.mjs --libocr DIR [--out FILE]   (DIR: a smartcontractkit/libocr checkout)');
    process.exit(2);
  }
  return { libocr, out: get('--out') ?? path.join(here, '../../tests/data/gas/measured.csv') };
}

const sha256 = (text) => crypto.createHash('sha256').update(text).digest('hex');

// Compiles `file`'s `name` with the solc package `solcPkg`; sources from `dir` (all .sol below it) or imports
// resolved below `importRoot`. Returns { abi, bytecode, hashes: {file: sha256} }.
function compile(solcPkg, dir, file, name, importRoot, inline) {
  const solc = require(solcPkg);
  const sources = {}, hashes = {};
  if (inline) sources[file] = { content: inline };
  const add = (rel, full) => { const text = fs.readFileSync(full, 'utf8'); sources[rel] = { content: text }; hashes[rel] = sha256(text); };
  const walk = (d, prefix) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name), prefix + e.name + '/');
      else if (e.name.endsWith('.sol')) add(prefix + e.name, path.join(d, e.name));
    }
  };
  if (dir) walk(dir, '');
  else if (!inline) add(file, path.join(importRoot, file));
  const findImports = (p) => {
    const full = path.join(importRoot ?? dir, p);
    if (!fs.existsSync(full)) return { error: 'not found: ' + p };
    const text = fs.readFileSync(full, 'utf8');
    hashes[p] = sha256(text);
    return { contents: text };
  };
  const input = { language: 'Solidity', sources,
                  settings: { optimizer: OPTIMIZER, outputSelection: { [file]: { [name]: ['abi', 'evm.bytecode.object'] } } } };
  const out = JSON.parse(solc.version().startsWith('0.4')
    ? solc.compileStandardWrapper(JSON.stringify(input), findImports)
    : solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const c = out.contracts[file][name];
  return { abi: c.abi, bytecode: '0x' + c.evm.bytecode.object, version: solc.version(), hashes };
}

class Chain {
  static async create() {
    const c = new Chain();
    c.common = new Common({ chain: Mainnet, hardfork: HARDFORK });
    c.vm = await createVM({ common: c.common });
    c.nonces = new Map();
    c.time = 1_700_000_000n;  // every transaction in a block of its own, 12 s after the last
    c.number = 19_000_000n;
    return c;
  }
  async fund(key) {
    const a = createAddressFromPrivateKey(key);
    if (!(await this.vm.stateManager.getAccount(a))) await this.vm.stateManager.putAccount(a, new Account(0n, 10n ** 24n));
  }
  // Sends a tx; returns the receipt gas and the revert reason ('' if it succeeded).
  async send(key, to, data) {
    const from = createAddressFromPrivateKey(key).toString();
    const nonce = this.nonces.get(from) ?? 0n;
    this.nonces.set(from, nonce + 1n);
    const tx = createLegacyTx({ nonce, gasPrice: GAS_PRICE, gasLimit: 10_000_000n, to, data: hexToBytes(data) }, { common: this.common }).sign(key);
    this.time += 12n;
    this.number += 1n;
    const block = createBlock({ header: { number: this.number, timestamp: this.time, gasLimit: 36_000_000n, baseFeePerGas: 10n ** 9n } },
                              { common: this.common });
    const r = await runTx(this.vm, { tx, block, skipBalance: true, skipBlockGasLimitValidation: true, skipHardForkValidation: true });
    let reason = '';
    if (r.execResult.exceptionError) {
      reason = r.execResult.exceptionError.error;
      const ret = r.execResult.returnValue;
      if (ret.length > 4) try { reason = ethers.AbiCoder.defaultAbiCoder().decode(['string'], bytesToHex(ret.slice(4)))[0]; } catch { /* not Error(string) */ }
    }
    return { gas: r.totalGasSpent, reason, created: r.createdAddress, logs: r.receipt.logs };
  }
  async call(to, data) {
    if (typeof to === 'string') to = createAddressFromString(to);
    return bytesToHex((await this.vm.evm.runCall({ to, data: hexToBytes(data) })).execResult.returnValue);
  }
}

const key = (tag, i) => hexToBytes('0x' + (BigInt(tag) * 1_000_000n + BigInt(i) + 1n).toString(16).padStart(64, '0'));
const signingKey = (tag, i) => new ethers.SigningKey(bytesToHex(key(tag, i)));
const coder = ethers.AbiCoder.defaultAbiCoder();
const ZERO = ethers.ZeroAddress;

async function must(p, what) {
  const r = await p;
  if (r.reason) throw new Error(`${what} reverted: ${r.reason}`);
  return r;
}

// An OCR aggregator of generation `gen` (1 or 2) configured with n oracles and threshold f.
async function ocrFeed(chain, gen, art, n, f) {
  const iface = new ethers.Interface(art.abi);
  const owner = key(gen * 10 + 1, n);
  await chain.fund(owner);
  const maxAnswer = (1n << 191n) - 1n;
  const deployArgs = gen === 1
    ? [1000, 50, 200000000, 20000000, 60000000, ZERO, 1n, maxAnswer, ZERO, ZERO, 8, 'ETH / USD']
    : [ZERO, 1n, maxAnswer, ZERO, ZERO, 8, 'ETH / USD'];
  const agg = (await must(chain.send(owner, undefined, art.bytecode + iface.encodeDeploy(deployArgs).slice(2)), 'deploy')).created;
  const signers = [...Array(n)].map((_, i) => signingKey(gen * 10 + 2, i));
  const txKeys = [...Array(n)].map((_, i) => key(gen * 10 + 3, i));
  for (const k of txKeys) await chain.fund(k);
  const signerAddrs = signers.map((s) => ethers.computeAddress(s.publicKey));
  const transmitters = txKeys.map((k) => createAddressFromPrivateKey(k).toString());
  await must(chain.send(owner, agg, iface.encodeFunctionData('setPayees', [transmitters, transmitters])), 'setPayees');
  if (gen === 1) {
    await must(chain.send(owner, agg, iface.encodeFunctionData('setConfig', [signerAddrs, transmitters, f, 1, '0x'])), 'setConfig');
  } else {
    const onchain = ethers.solidityPacked(['uint8', 'int192', 'int192'], [1, 1n, maxAnswer]);
    await must(chain.send(owner, agg, iface.encodeFunctionData('setBilling', [1000, 50, 20000000, 60000000, 6035])), 'setBilling');
    await must(chain.send(owner, agg, iface.encodeFunctionData('setConfig', [signerAddrs, transmitters, f, onchain, 2, '0x'])), 'setConfig');
  }
  const details = iface.decodeFunctionResult('latestConfigDetails', await chain.call(agg, iface.encodeFunctionData('latestConfigDetails', [])));
  return { iface, agg, signers, txKeys, digest: details[2], n, f, gen };
}

// transmit of (epoch 1, `round`) with `nobs` observations signed by the first `nsig` oracles, sent by `sender`.
function transmitData(feed, round, nobs, nsig) {
  const obs = [...Array(nobs)].map((_, i) => 300000000000n + BigInt(i) * 1000n + BigInt(round));
  const observers = ethers.concat([Uint8Array.from([...Array(nobs)].map((_, i) => i)), new Uint8Array(32 - nobs)]);
  const rs = [], ss = [];
  const vs = new Uint8Array(32);
  if (feed.gen === 1) {
    const ctx = ethers.concat([new Uint8Array(11), ethers.dataSlice(feed.digest, 0, 16), ethers.toBeHex(1, 4), ethers.toBeHex(round, 1)]);
    const report = coder.encode(['bytes32', 'bytes32', 'int192[]'], [ctx, observers, obs]);
    const h = ethers.keccak256(report);
    for (let i = 0; i < nsig; ++i) { const s = feed.signers[i].sign(h); rs.push(s.r); ss.push(s.s); vs[i] = s.v - 27; }
    return feed.iface.encodeFunctionData('transmit', [report, rs, ss, ethers.hexlify(vs)]);
  }
  const ctx = [feed.digest, ethers.toBeHex((1n << 8n) | BigInt(round), 32), ethers.keccak256('0x01')];
  const report = coder.encode(['uint32', 'bytes32', 'int192[]', 'int192'], [1000 + round, observers, obs, 200n * 10n ** 18n]);
  const h = ethers.keccak256(ethers.concat([ethers.keccak256(report), ...ctx]));
  for (let i = 0; i < nsig; ++i) { const s = feed.signers[i].sign(h); rs.push(s.r); ss.push(s.s); vs[i] = s.v - 27; }
  return feed.iface.encodeFunctionData('transmit', [ctx, report, rs, ss, ethers.hexlify(vs)]);
}

const rows = [];
const row = (contract, call, n, f, nobs, nsig, k, outcome, gas) => rows.push({ contract, call, n, f, nobs, nsig, k, outcome, gas });

async function measureOcr(chain, gen, art, n) {
  const f = Math.floor((n - 1) / 3);
  const feed = await ocrFeed(chain, gen, art, n, f);
  const shapes = gen === 1
    ? [[2 * f + 1, f + 1], [n, f + 1], [n, 2 * f + 1]]   // OCR1: more than f signatures, more than 2f observations
    : [[2 * f + 1, f + 1], [n, f + 1]];                   // OCR2: exactly f + 1 signatures
  let round = 0;
  for (const [nobs, nsig] of shapes) {
    // Warm up: the transmitter's and the contract's storage written by earlier reports (steady state).
    for (let w = 0; w < 2; ++w) await must(chain.send(feed.txKeys[0], feed.agg, transmitData(feed, ++round, nobs, nsig)), 'warm-up');
    const data = transmitData(feed, ++round, nobs, nsig);
    const ok = await must(chain.send(feed.txKeys[0], feed.agg, data), 'transmit');
    row(gen === 1 ? 'OffchainAggregator' : 'OCR2Aggregator', 'transmit', n, f, nobs, nsig, 0, 'accepted', ok.gas);
    const stale = await chain.send(feed.txKeys[1], feed.agg, data);  // a later stage's duplicate
    if (stale.reason !== 'stale report') throw new Error('expected a stale report, got: ' + stale.reason);
    row(gen === 1 ? 'OffchainAggregator' : 'OCR2Aggregator', 'transmit', n, f, nobs, nsig, 0, 'stale report', stale.gas);
  }
}

// A minimal token standing for LINK: FluxAggregator's submit never touches it; updateAvailableFunds reads balanceOf.
const TOKEN = `// SPDX-License-Identifier: MIT
pragma solidity 0.6.6;
contract Token { function balanceOf(address) external pure returns (uint256) { return 10 ** 30; } }`;

async function measureFlux(chain, art, tokenArt, n) {
  const iface = new ethers.Interface(art.abi);
  const owner = key(31, n);
  await chain.fund(owner);
  const token = (await must(chain.send(owner, undefined, tokenArt.bytecode), 'token')).created.toString();
  const payment = 10n ** 17n;
  const agg = (await must(chain.send(owner, undefined, art.bytecode + iface.encodeDeploy(
    [token, payment, 1800, ZERO, 1n, (1n << 255n) - 1n, 8, 'ETH / USD']).slice(2)), 'deploy')).created;
  await must(chain.send(owner, agg, iface.encodeFunctionData('updateAvailableFunds', [])), 'updateAvailableFunds');
  const keys = [...Array(n)].map((_, i) => key(32 + n, i));  // fresh oracles per feed
  for (const k of keys) await chain.fund(k);
  const oracles = keys.map((k) => createAddressFromPrivateKey(k).toString());
  const min = Math.floor(n / 2) + 1;
  await must(chain.send(owner, agg, iface.encodeFunctionData('changeOracles', [[], oracles, oracles, min, n, 0])), 'changeOracles');
  // Three full rounds; the third is measured: submission k = 1 (starts the round) .. n (closes it at maxSubmissions).
  for (let round = 1; round <= 3; ++round) {
    for (let k = 1; k <= n; ++k) {
      const r = await must(chain.send(keys[(k - 1 + round) % n], agg,
        iface.encodeFunctionData('submit', [round, 300000000000n + BigInt(k * 7919 % 1000) * 1000n + BigInt(round)])), 'submit');
      if (round === 3) row('FluxAggregator', 'submit', n, 0, 0, 0, k, 'accepted', r.gas);
    }
  }
}

// The request model's consumer: ChainlinkClient (v0.8) asking `operator` with CBOR `data` built off-chain (the
// simulator's request: get, path and times as strings), and a fulfil that records the answer (one fresh slot).
const CONSUMER = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;
import {ChainlinkClient, Chainlink} from "./ChainlinkClient.sol";
contract Consumer is ChainlinkClient {
  using Chainlink for Chainlink.Request;
  mapping(bytes32 => uint256) public answers;
  constructor(address link) { _setChainlinkToken(link); }
  function request(address operator, bytes32 specId, uint256 payment, bytes calldata data) external returns (bytes32) {
    Chainlink.Request memory req = _buildChainlinkRequest(specId, address(this), this.fulfill.selector);
    req._setBuffer(data);
    return _sendChainlinkRequestTo(operator, req, payment);
  }
  function fulfill(bytes32 id, uint256 answer) external recordChainlinkFulfillment(id) { answers[id] = answer; }
}`;

// CBOR text strings for key/value pairs (what Chainlink.Request's add writes).
function cbor(pairs) {
  const parts = [];
  const text = (t) => { const b = Buffer.from(t, 'utf8'); parts.push(Buffer.from(b.length < 24 ? [0x60 + b.length] : [0x78, b.length]), b); };
  for (const [k, v] of pairs) { text(k); text(v); }
  return ethers.hexlify(Buffer.concat(parts));
}
const REQUEST_DATA = [['get', 'https://api.example/eth'], ['path', 'USD'], ['times', '100']];

async function measureOperator(chain, link, op, consumer) {
  const owner = key(41, 0), node = key(41, 1), wallet = key(41, 2);
  for (const k of [owner, node, wallet]) await chain.fund(k);
  const linkI = new ethers.Interface(link.abi), opI = new ethers.Interface(op.abi), cI = new ethers.Interface(consumer.abi);
  const linkAddr = (await must(chain.send(owner, undefined, link.bytecode), 'LinkToken')).created.toString();
  const ownerAddr = createAddressFromPrivateKey(owner).toString();
  const opAddr = (await must(chain.send(owner, undefined, op.bytecode + opI.encodeDeploy([linkAddr, ownerAddr]).slice(2)), 'Operator')).created.toString();
  await must(chain.send(owner, opAddr, opI.encodeFunctionData('setAuthorizedSenders', [[createAddressFromPrivateKey(node).toString()]])), 'setAuthorizedSenders');
  const cAddr = (await must(chain.send(owner, undefined, consumer.bytecode + cI.encodeDeploy([linkAddr]).slice(2)), 'Consumer')).created.toString();
  await must(chain.send(owner, linkAddr, linkI.encodeFunctionData('transfer', [cAddr, 10n ** 21n])), 'fund the consumer');
  const fee = 10n ** 17n;
  const spec = ethers.keccak256(ethers.toUtf8Bytes('eth-usd-job'));
  const data = cbor(REQUEST_DATA);
  for (let i = 1; i <= 3; ++i) {  // the third request and fulfilment are measured (escrow and earnings already written)
    const req = await must(chain.send(wallet, cAddr, cI.encodeFunctionData('request', [opAddr, spec, fee, data])), 'request');
    let a = null;
    for (const l of req.logs) {
      try { const p = opI.parseLog({ topics: l[1].map((t) => bytesToHex(t)), data: bytesToHex(l[2]) }); if (p && p.name === 'OracleRequest') a = p.args; } catch { /* another contract's log */ }
    }
    if (!a) throw new Error('no OracleRequest log');
    const ful = await must(chain.send(node, opAddr, opI.encodeFunctionData('fulfillOracleRequest',
      [a.requestId, a.payment, a.callbackAddr, a.callbackFunctionId, a.cancelExpiration, ethers.toBeHex(300000 + i, 32)])), 'fulfil');
    if (i === 3) {
      row('Operator', 'oracleRequest', 0, 0, 0, 0, 0, 'accepted', req.gas);
      row('Operator', 'fulfillOracleRequest', 0, 0, 0, 0, 0, 'accepted', ful.gas);
    }
  }
}

const addressOf = (k) => createAddressFromPrivateKey(k).toString();
// Deploys `art` from `from` with constructor `args`; returns its address.
async function deploy(chain, from, art, args, what) {
  const data = art.bytecode + new ethers.Interface(art.abi).encodeDeploy(args).slice(2);
  return (await must(chain.send(from, undefined, data), what)).created.toString();
}
// Sends `fn(args)` of `art` at `to` from `from`; throws on a revert.
const invoke = (chain, from, art, to, fn, args) =>
  must(chain.send(from, to, new ethers.Interface(art.abi).encodeFunctionData(fn, args)), fn);

// --- Data Streams verification (llo-feeds v0.3.0 of @chainlink/contracts 1.1.1) --------------------------------
// A v3 feed id (schema 0x0003 in its first two bytes, as FeeManager reads the report version).
const STREAMS_FEED = ethers.concat(['0x0003', ethers.dataSlice(ethers.keccak256(ethers.toUtf8Bytes('ETH/USD')), 2)]);
const STREAMS_NATIVE_FEE = 30n * 10n ** 12n;  // wei; the model's test report (tests/models/streams/verifier_test.cpp)
const STREAMS_LINK_FEE = 10n ** 16n;          // juels

// VerifierProxy + Verifier configured with n signers and f for STREAMS_FEED; with `path` 'link' or 'native' also a
// RewardManager and FeeManager (the reward pool of the config digest shared equally by n payees, the remainder of
// 1e18 to the last, as deploy_verifier_stack does) and a subscriber that holds LINK approved to the RewardManager
// ('link') or wrapped native approved to the FeeManager ('native', the FeeManager holding LINK for the rewards).
async function streamsStack(chain, arts, link, n, f, path, tag) {
  const owner = key(tag, 999), subscriber = key(tag + 1, 0);
  for (const k of [owner, subscriber]) await chain.fund(k);
  const proxy = await deploy(chain, owner, arts.proxy, [ZERO], 'VerifierProxy');
  const verifier = await deploy(chain, owner, arts.verifier, [proxy], 'Verifier');
  await invoke(chain, owner, arts.proxy, proxy, 'initializeVerifier', [verifier]);
  const s = { n, f, path, proxy, verifier, subscriber, quote: link.addr, arts };
  let recipients = [];
  if (path !== 'nofee') {
    const weth = await deploy(chain, owner, arts.weth, [], 'WETH9');
    const rm = await deploy(chain, owner, arts.rewardManager, [link.addr], 'RewardManager');
    const fm = await deploy(chain, owner, arts.feeManager, [link.addr, weth, proxy, rm], 'FeeManager');
    await invoke(chain, owner, arts.rewardManager, rm, 'setFeeManager', [fm]);
    await invoke(chain, owner, arts.proxy, proxy, 'setFeeManager', [fm]);
    const share = 10n ** 18n / BigInt(n);
    recipients = [...Array(n)].map((_, i) => [addressOf(key(tag + 2, i)), i + 1 < n ? share : 10n ** 18n - share * BigInt(i)]);
    const sub = addressOf(subscriber);
    if (path === 'link') {
      await invoke(chain, link.owner, link.art, link.addr, 'transfer', [sub, 10n ** 21n]);
      await invoke(chain, subscriber, link.art, link.addr, 'approve', [rm, 10n ** 27n]);
    } else {
      s.quote = weth;
      await invoke(chain, owner, arts.weth, weth, 'mint', [sub, 10n ** 21n]);
      await invoke(chain, subscriber, arts.weth, weth, 'approve', [fm, 10n ** 27n]);
      await invoke(chain, link.owner, link.art, link.addr, 'transfer', [fm, 10n ** 21n]);
    }
  }
  s.signers = [...Array(n)].map((_, i) => signingKey(tag + 3, i));
  const offchainTransmitters = [...Array(n)].map((_, i) => ethers.keccak256(ethers.toBeHex(tag * 100 + i, 32)));
  await invoke(chain, owner, arts.verifier, verifier, 'setConfig',
    [STREAMS_FEED, s.signers.map((k) => ethers.computeAddress(k.publicKey)), offchainTransmitters, f, '0x', 1, '0x', recipients]);
  const vI = new ethers.Interface(arts.verifier.abi);
  s.digest = vI.decodeFunctionResult('latestConfigDetails',
    await chain.call(verifier, vI.encodeFunctionData('latestConfigDetails', [STREAMS_FEED])))[2];
  return s;
}

// VerifierProxy.verify(payload, abi.encode(quote)) of a v3 report from (epoch, round), signed by the first f + 1
// signers over keccak256(keccak256(report) || reportContext) as Verifier._verifySignatures checks.
function streamsVerifyData(chain, s, epoch, round) {
  const now = chain.time + 12n;  // the block the call lands in
  const price = 3000n * 10n ** 18n + BigInt(epoch * 1000 + round) * 10n ** 13n;
  const report = coder.encode(
    ['bytes32', 'uint32', 'uint32', 'uint192', 'uint192', 'uint32', 'int192', 'int192', 'int192'],
    [STREAMS_FEED, now - 2n, now - 1n, STREAMS_NATIVE_FEE, STREAMS_LINK_FEE, now + 86400n, price, price - 10n ** 17n, price + 10n ** 17n]);
  const ctx = [s.digest, ethers.toBeHex((BigInt(epoch) << 8n) | BigInt(round), 32), ethers.keccak256(ethers.toBeHex(epoch * 1000 + round, 32))];
  const h = ethers.keccak256(ethers.concat([ethers.keccak256(report), ...ctx]));
  const rs = [], ss = [], vs = new Uint8Array(32);
  for (let i = 0; i <= s.f; ++i) { const sig = s.signers[i].sign(h); rs.push(sig.r); ss.push(sig.s); vs[i] = sig.v - 27; }
  const payload = coder.encode(['bytes32[3]', 'bytes', 'bytes32[]', 'bytes32[]', 'bytes32'], [ctx, report, rs, ss, ethers.hexlify(vs)]);
  return new ethers.Interface(s.arts.proxy.abi).encodeFunctionData('verify', [payload, coder.encode(['address'], [s.quote])]);
}

// Steady state: two reports verified before (epochs 1 and 2, so latestEpoch, the pool, balances and allowances are
// written); then a report of the latest epoch (k = 0: _updateEpoch writes nothing) and one of a new epoch (k = 1:
// latestEpoch written).
async function measureStreams(chain, arts, link, n, f, path, tag) {
  const s = await streamsStack(chain, arts, link, n, f, path, tag);
  const verify = (e, r) => must(chain.send(s.subscriber, s.proxy, streamsVerifyData(chain, s, e, r)), `verify (${path})`);
  await verify(1, 1);
  await verify(2, 1);
  row('VerifierProxy', 'streams_verify_' + path, n, f, 0, f + 1, 0, 'accepted', (await verify(2, 2)).gas);
  row('VerifierProxy', 'streams_verify_' + path, n, f, 0, f + 1, 1, 'accepted', (await verify(3, 1)).gas);
}

// --- Configuration changes ---------------------------------------------------------------------------------------
// OCR setConfig replacing a configuration of the same n: the aggregator (LINK funded, payees set) configured, two
// reports (all n observations, so every oracle is owed), the same configuration set again (everyone paid: payees
// hold LINK), two more reports, then the measured setConfig with the last r of the n oracles replaced by new ones
// (k = r; 0: the same oracles, as a change of f or of the offchain config).
async function measureSetConfig(chain, gen, art, link, n, r, tag) {
  const f = Math.floor((n - 1) / 3);
  const iface = new ethers.Interface(art.abi);
  const owner = key(tag, 999);
  await chain.fund(owner);
  const maxAnswer = (1n << 191n) - 1n;
  const agg = await deploy(chain, owner, art, gen === 1
    ? [1000, 50, 200000000, 20000000, 60000000, link.addr, 1n, maxAnswer, ZERO, ZERO, 8, 'ETH / USD']
    : [link.addr, 1n, maxAnswer, ZERO, ZERO, 8, 'ETH / USD'], 'aggregator');
  const signers = [...Array(n + r)].map((_, i) => signingKey(tag + 1, i));  // the last r: the replacements
  const txKeys = [...Array(n + r)].map((_, i) => key(tag + 2, i));
  for (const k of txKeys) await chain.fund(k);
  const transmitters = txKeys.map(addressOf);
  await invoke(chain, owner, art, agg, 'setPayees', [transmitters, transmitters]);
  if (gen === 2) await invoke(chain, owner, art, agg, 'setBilling', [1000, 50, 20000000, 60000000, 6035]);
  await invoke(chain, link.owner, link.art, link.addr, 'transfer', [agg, 10n ** 24n]);
  const feed = { iface, agg, gen, signers: [], digest: null };
  const setConfig = async (members) => {
    const s = members.map((i) => ethers.computeAddress(signers[i].publicKey)), t = members.map((i) => transmitters[i]);
    const res = await must(chain.send(owner, agg, gen === 1
      ? iface.encodeFunctionData('setConfig', [s, t, f, 1, '0x'])
      : iface.encodeFunctionData('setConfig', [s, t, f, ethers.solidityPacked(['uint8', 'int192', 'int192'], [1, 1n, maxAnswer]), 2, '0x'])), 'setConfig');
    feed.signers = members.map((i) => signers[i]);
    feed.digest = iface.decodeFunctionResult('latestConfigDetails', await chain.call(agg, iface.encodeFunctionData('latestConfigDetails', [])))[2];
    return res;
  };
  const reports = async () => {
    for (let round = 1; round <= 2; ++round) await must(chain.send(txKeys[0], agg, transmitData(feed, round, n, f + 1)), 'transmit');
  };
  const first = [...Array(n)].map((_, i) => i);
  await setConfig(first);
  await reports();
  await setConfig(first);
  await reports();
  const next = first.slice(0, n - r).concat([...Array(r)].map((_, i) => n + i));
  const res = await setConfig(next);
  row(gen === 1 ? 'OffchainAggregator' : 'OCR2Aggregator', 'setConfig', n, f, 0, 0, r, 'accepted', res.gas);
}

// FluxAggregator changeOracles on a feed of n oracles after two full rounds (as measureFlux runs them): adding k new
// oracles (their admins themselves) or removing the last k of the list in its order (the simulator's change of the
// oracle count); minSubmissions, maxSubmissions and restartDelay set for the new count n' as the simulator resolves
// them (n'/2 + 1, n', 0).
async function measureChangeOracles(chain, art, tokenArt, n, op, k, tag) {
  const iface = new ethers.Interface(art.abi);
  const owner = key(tag, 999);
  await chain.fund(owner);
  const token = (await must(chain.send(owner, undefined, tokenArt.bytecode), 'token')).created.toString();
  const agg = await deploy(chain, owner, art, [token, 10n ** 17n, 1800, ZERO, 1n, (1n << 255n) - 1n, 8, 'ETH / USD'], 'FluxAggregator');
  await invoke(chain, owner, art, agg, 'updateAvailableFunds', []);
  const keys = [...Array(n + k)].map((_, i) => key(tag + 1, i));  // the last k: oracles to add
  for (const kk of keys) await chain.fund(kk);
  const oracles = keys.map(addressOf);
  const members = oracles.slice(0, n);
  await invoke(chain, owner, art, agg, 'changeOracles', [[], members, members, Math.floor(n / 2) + 1, n, 0]);
  for (let round = 1; round <= 2; ++round) {
    for (let j = 1; j <= n; ++j) {
      await must(chain.send(keys[(j - 1 + round) % n], agg,
        iface.encodeFunctionData('submit', [round, 300000000000n + BigInt(j * 7919 % 1000) * 1000n + BigInt(round)])), 'submit');
    }
  }
  const added = op === 'add' ? oracles.slice(n, n + k) : [];
  const removed = op === 'remove' ? members.slice(n - k) : [];
  const after = n + added.length - removed.length;
  const res = await invoke(chain, owner, art, agg, 'changeOracles', [removed, added, added, Math.floor(after / 2) + 1, after, 0]);
  row('FluxAggregator', 'changeOracles_' + op, n, 0, 0, 0, k, 'accepted', res.gas);
}

// --- Automation (AutomationRegistry v2.3 of @chainlink/contracts 1.2.0) -----------------------------------------
// The upkeep target: a fixed, known amount of work per performUpkeep (two SSTOREs of changing values to slots
// written before: count, then last; performData only read for its length), so the registry's part of a transmit is
// its gas minus the upkeep's.
const PERFORM_TARGET = `// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;
contract PerformTarget {
  uint256 public count = 1;
  uint256 public last = 1;
  function performUpkeep(bytes calldata performData) external {
    uint256 c = count + 1;
    count = c;
    last = c * 7 + performData.length;
  }
}`;

const AUTOMATION_UPKEEP_GAS = 500_000;        // the upkeep's gas limit (performGas)
const AUTOMATION_FAST_GAS = 30n * 10n ** 9n;  // report.fastGasWei (the harness's gas price)
const AUTOMATION_LINK_USD = 15n * 10n ** 8n;  // report.linkUSD and the LINK/USD mock (8 decimals)

// performData of `bytes` bytes, deterministic and (almost) all non-zero, as reports are.
const performDataOf = (bytes, seed) => {
  let out = '0x', h = ethers.keccak256(ethers.toUtf8Bytes('performData ' + seed));
  while ((out.length - 2) / 2 < bytes) { out += h.slice(2); h = ethers.keccak256(h); }
  return out.slice(0, 2 + 2 * bytes);
};

// AutomationRegistry2_3 with its logic contracts A/B/C, the forwarder logic and ChainModuleBase (Ethereum), LINK
// the harness's v0.4 LinkToken, mock LINK/USD, native/USD and fast gas feeds (MockV3Aggregator), configured with
// n signers/transmitters and f (setConfigTypeSafe, LINK the only billing token), one log-trigger upkeep on a fresh
// PerformTarget, funded with LINK (transferAndCall).
async function automationStack(chain, arts, link, n, f, tag) {
  const owner = key(tag, 999);
  await chain.fund(owner);
  const ownerAddr = addressOf(owner);
  const feed = (dec, answer) => deploy(chain, owner, arts.feed, [dec, answer], 'MockV3Aggregator');
  const linkUSD = await feed(8, AUTOMATION_LINK_USD);
  const nativeUSD = await feed(8, 3000n * 10n ** 8n);
  const fastGas = await feed(0, AUTOMATION_FAST_GAS);
  const fwdLogic = await deploy(chain, owner, arts.forwarderLogic, [], 'AutomationForwarderLogic');
  const logicC = await deploy(chain, owner, arts.logicC,
    [link.addr, linkUSD, nativeUSD, fastGas, fwdLogic, ownerAddr, 0 /* PayoutMode.ON_CHAIN */, ZERO], 'LogicC');
  const logicB = await deploy(chain, owner, arts.logicB, [logicC], 'LogicB');
  const logicA = await deploy(chain, owner, arts.logicA, [logicB], 'LogicA');
  const registry = await deploy(chain, owner, arts.registry, [logicA], 'AutomationRegistry2_3');
  const chainModule = await deploy(chain, owner, arts.chainModule, [], 'ChainModuleBase');
  const signers = [...Array(n)].map((_, i) => signingKey(tag + 1, i));
  const txKeys = [...Array(n)].map((_, i) => key(tag + 2, i));
  for (const k of txKeys) await chain.fund(k);
  const onchain = {
    checkGasLimit: 10_000_000, maxPerformGas: 5_000_000, maxCheckDataSize: 5_000, transcoder: ZERO,
    reorgProtectionEnabled: true, stalenessSeconds: 90_000, maxPerformDataSize: 5_000, maxRevertDataSize: 5_000,
    upkeepPrivilegeManager: ownerAddr, gasCeilingMultiplier: 2, financeAdmin: ownerAddr,
    fallbackGasPrice: 200n * 10n ** 9n, fallbackLinkPrice: 2n * 10n ** 9n, fallbackNativePrice: 2n * 10n ** 11n,
    registrars: [], chainModule,
  };
  const billing = { gasFeePPB: 100_000_000, flatFeeMilliCents: 1_000, priceFeed: linkUSD, decimals: 18,
                    fallbackPrice: 2n * 10n ** 9n, minSpend: 0 };
  await invoke(chain, owner, arts.registry, registry, 'setConfigTypeSafe',
    [signers.map((s) => ethers.computeAddress(s.publicKey)), txKeys.map(addressOf), f, onchain, 1, '0x', [link.addr], [billing]]);
  const rI = new ethers.Interface(arts.registry.abi);
  const digest = rI.decodeFunctionResult('latestConfigDetails', await chain.call(registry, rI.encodeFunctionData('latestConfigDetails', [])))[2];
  const target = await deploy(chain, owner, arts.target, [], 'PerformTarget');
  const triggerConfig = coder.encode(['address', 'uint8', 'bytes32', 'bytes32', 'bytes32', 'bytes32'],
    [target, 0, ethers.id('TradeRequested(uint256)'), ethers.ZeroHash, ethers.ZeroHash, ethers.ZeroHash]);
  const reg = await must(chain.send(owner, registry, new ethers.Interface(arts.logicA.abi).encodeFunctionData('registerUpkeep',
    [target, AUTOMATION_UPKEEP_GAS, ownerAddr, 1 /* Trigger.LOG */, link.addr, '0x', triggerConfig, '0x'])), 'registerUpkeep');
  let id = null;
  for (const l of reg.logs) {
    try { const p = rI.parseLog({ topics: l[1].map((t) => bytesToHex(t)), data: bytesToHex(l[2]) }); if (p && p.name === 'UpkeepRegistered') id = p.args.id; } catch { /* not the registry's */ }
  }
  if (id === null) throw new Error('no UpkeepRegistered log');
  await invoke(chain, link.owner, link.art, link.addr, 'transferAndCall', [registry, 10n ** 21n, coder.encode(['uint256'], [id])]);
  return { arts, rI, registry, target, signers, txKeys, digest, id, n, f, owner, trigger: 0 };
}

// transmit(reportContext, rawReport, rs, ss, rawVs) of (epoch 1, `round`) carrying `performs` performs of the upkeep
// (each a log trigger of its own: a new transaction hash) with `bytes` bytes of performData each, signed by the
// first f + 1 signers over keccak256(abi.encode(keccak256(report), reportContext)) as _verifyReportSignature checks.
function automationTransmitData(chain, s, round, performs, bytes) {
  const blockNum = chain.number;  // the trigger's block: the one before the transmit's
  const triggers = [], datas = [];
  for (let i = 0; i < performs; ++i) {
    ++s.trigger;
    triggers.push(coder.encode(['tuple(bytes32,bytes32,uint32,uint32,bytes32)'],
      [[ethers.keccak256(ethers.toBeHex(blockNum, 32)), ethers.keccak256(ethers.toBeHex(s.trigger, 32)), 1, blockNum, ethers.ZeroHash]]));
    datas.push(performDataOf(bytes, `${s.trigger}`));
  }
  const report = coder.encode(['tuple(uint256,uint256,uint256[],uint256[],bytes[],bytes[])'],
    [[AUTOMATION_FAST_GAS, AUTOMATION_LINK_USD, Array(performs).fill(s.id), Array(performs).fill(AUTOMATION_UPKEEP_GAS), triggers, datas]]);
  const ctx = [s.digest, ethers.toBeHex((1n << 8n) | BigInt(round), 32), ethers.keccak256(ethers.toBeHex(round, 32))];
  const h = ethers.keccak256(ethers.concat([ethers.keccak256(report), ...ctx]));
  const rs = [], ss = [], vs = new Uint8Array(32);
  for (let i = 0; i <= s.f; ++i) { const sig = s.signers[i].sign(h); rs.push(sig.r); ss.push(sig.s); vs[i] = sig.v - 27; }
  return s.rI.encodeFunctionData('transmit', [ctx, report, rs, ss, ethers.hexlify(vs)]);
}

// Steady state: for each shape, two earlier transmits of the same shape from the same transmitter (the upkeep, the
// target, the transmitter's balance and the reserves written), then the measured one: `performs` performs of the
// upkeep (k = performs - 1) with `bytes` bytes of performData each (nobs = bytes). Then the target's performUpkeep
// called directly from an EOA with the same performData (after it has run many times).
async function measureAutomation(chain, arts, link, n, f, tag) {
  const s = await automationStack(chain, arts, link, n, f, tag);
  let round = 0;
  for (const [performs, bytes] of [[1, 0], [1, 256], [2, 0], [2, 256]]) {
    for (let w = 0; w < 2; ++w) await must(chain.send(s.txKeys[0], s.registry, automationTransmitData(chain, s, ++round, performs, bytes)), 'warm-up');
    const r = await must(chain.send(s.txKeys[0], s.registry, automationTransmitData(chain, s, ++round, performs, bytes)), 'transmit');
    const used = [];
    for (const l of r.logs) {
      try { const p = s.rI.parseLog({ topics: l[1].map((t) => bytesToHex(t)), data: bytesToHex(l[2]) }); if (p && p.name === 'UpkeepPerformed') used.push(p.args.success ? p.args.gasUsed : -1n); } catch { /* not the registry's */ }
    }
    if (used.length !== performs || used.includes(-1n)) throw new Error(`transmit: expected ${performs} successful performs, got ${used}`);
    row('AutomationRegistry2_3', 'transmit_log_perform', n, f, bytes, f + 1, performs - 1, 'accepted', r.gas);
    automationUpkeepGas.push(`${n}/${f} performs ${performs} bytes ${bytes}: ${used.join(' + ')}`);
  }
  if (n !== 4) return;
  const caller = key(tag + 3, 0);
  await chain.fund(caller);
  const tI = new ethers.Interface(arts.target.abi);
  for (const bytes of [0, 256]) {
    const r = await must(chain.send(caller, s.target, tI.encodeFunctionData('performUpkeep', [performDataOf(bytes, 'direct ' + bytes)])), 'performUpkeep');
    row('PerformTarget', 'performUpkeep_direct', 0, 0, bytes, 0, 0, 'accepted', r.gas);
  }
}
const automationUpkeepGas = [];  // UpkeepPerformed.gasUsed of each measured transmit (the forwarder's measure), for the log

const { libocr, out } = args();
const ocr1 = compile('solc-0.7.6', path.join(libocr, 'contract'), 'OffchainAggregator.sol', 'OffchainAggregator');
const ocr2 = compile('solc-0.8.19', path.join(libocr, 'contract2'), 'OCR2Aggregator.sol', 'OCR2Aggregator');
const chainlinkSrc = path.join(here, 'node_modules/@chainlink/contracts/src/v0.6');
const flux = compile('solc-0.6.6', null, 'FluxAggregator.sol', 'FluxAggregator', chainlinkSrc);
const solc066 = require('solc-0.6.6');
const tokenOut = JSON.parse(solc066.compile(JSON.stringify({ language: 'Solidity', sources: { 'Token.sol': { content: TOKEN } },
  settings: { optimizer: OPTIMIZER, outputSelection: { 'Token.sol': { Token: ['evm.bytecode.object'] } } } })));
const tokenArt = { bytecode: '0x' + tokenOut.contracts['Token.sol'].Token.evm.bytecode.object };

const chainlink1 = path.join(here, 'node_modules/@chainlink/contracts-1/src/v0.8');
const linkArt = compile('solc-0.4.26', null, 'LinkToken.sol', 'LinkToken', path.join(here, 'node_modules/@chainlink/contracts/src/v0.4'));
const opArt = compile('solc-0.8.19', null, 'operatorforwarder/Operator.sol', 'Operator', chainlink1);
const consumerArt = compile('solc-0.8.19', null, 'Consumer.sol', 'Consumer', chainlink1, CONSUMER);
// Data Streams (llo-feeds v0.3.0 as shipped in @chainlink/contracts 1.1.1: Verifier 1.2.0, VerifierProxy 2.0.0,
// FeeManager 2.0.0, RewardManager 1.1.0) and the wrapped native token the package ships (WETH9, the 2017 contract
// ported to 0.8.19); the package has no foundry.toml, so the same optimizer settings as the rest.
const streamsArts = {
  proxy: compile('solc-0.8.19', null, 'llo-feeds/VerifierProxy.sol', 'VerifierProxy', chainlink1),
  verifier: compile('solc-0.8.19', null, 'llo-feeds/Verifier.sol', 'Verifier', chainlink1),
  feeManager: compile('solc-0.8.19', null, 'llo-feeds/FeeManager.sol', 'FeeManager', chainlink1),
  rewardManager: compile('solc-0.8.19', null, 'llo-feeds/RewardManager.sol', 'RewardManager', chainlink1),
  weth: compile('solc-0.8.19', null, 'automation/dev/test/WETH9.sol', 'WETH9', chainlink1),
};
// Automation: AutomationRegistry v2.3 ("AutomationRegistry 2.3.0") as shipped in @chainlink/contracts 1.2.0 (npm alias
// @chainlink/contracts-1.2; 1.1.1 has no v2_3), its logic contracts, the forwarder logic, the default chain module
// and the package's MockV3Aggregator; the package has no foundry.toml, so the same optimizer settings as the rest.
const chainlink12 = path.join(here, 'node_modules/@chainlink/contracts-1.2/src/v0.8');
const automationArts = {
  registry: compile('solc-0.8.19', null, 'automation/v2_3/AutomationRegistry2_3.sol', 'AutomationRegistry2_3', chainlink12),
  logicA: compile('solc-0.8.19', null, 'automation/v2_3/AutomationRegistryLogicA2_3.sol', 'AutomationRegistryLogicA2_3', chainlink12),
  logicB: compile('solc-0.8.19', null, 'automation/v2_3/AutomationRegistryLogicB2_3.sol', 'AutomationRegistryLogicB2_3', chainlink12),
  logicC: compile('solc-0.8.19', null, 'automation/v2_3/AutomationRegistryLogicC2_3.sol', 'AutomationRegistryLogicC2_3', chainlink12),
  forwarderLogic: compile('solc-0.8.19', null, 'automation/AutomationForwarderLogic.sol', 'AutomationForwarderLogic', chainlink12),
  chainModule: compile('solc-0.8.19', null, 'automation/chains/ChainModuleBase.sol', 'ChainModuleBase', chainlink12),
  feed: compile('solc-0.8.19', null, 'tests/MockV3Aggregator.sol', 'MockV3Aggregator', chainlink12),
  target: compile('solc-0.8.19', null, 'PerformTarget.sol', 'PerformTarget', chainlink12, PERFORM_TARGET),
};

const chain = await Chain.create();
await measureOperator(chain, linkArt, opArt, consumerArt);
const ns = [4, 7, 10, 13, 16, 19, 25, 31];  // scenarios/ocr_vs_flux_gas.yaml's oracle counts
for (const n of ns) {
  await measureOcr(chain, 1, ocr1, n);
  await measureOcr(chain, 2, ocr2, n);
  await measureFlux(chain, flux, tokenArt, n);
}
// The rows below come after every row above, with keys of their own, so they leave those rows as they were.
const linkOwner = key(90, 0);
await chain.fund(linkOwner);
const link = { art: linkArt, owner: linkOwner, addr: (await must(chain.send(linkOwner, undefined, linkArt.bytecode), 'LinkToken')).created.toString() };
let tag = 100;  // key tags of the rows below: each feed its own accounts (tags tag .. tag + 3)
for (const [n, f] of [[4, 1], [31, 10]]) {  // the shipped scenarios' DON; the contract's maximum (the gas snapshot's)
  for (const p of ['nofee', 'link', 'native']) await measureStreams(chain, streamsArts, link, n, f, p, tag += 4);
}
for (const n of [4, 7, 16, 31]) {
  for (const gen of [1, 2]) {
    for (const r of [0, Math.floor(n / 3)]) await measureSetConfig(chain, gen, gen === 1 ? ocr1 : ocr2, link, n, r, tag += 4);
  }
  for (const op of ['add', 'remove']) {
    for (const k of [1, Math.floor(n / 2)]) await measureChangeOracles(chain, flux, tokenArt, n, op, k, tag += 4);
  }
}
for (const [n, f] of [[4, 1], [16, 5]]) await measureAutomation(chain, automationArts, link, n, f, n === 4 ? 500 : 504);
for (const line of automationUpkeepGas) console.log('UpkeepPerformed.gasUsed', line);

// The checkout's commit: `git rev-parse HEAD`, or a COMMIT file beside contract/ (an exported tree).
const libocrCommit = (() => {
  try { return execFileSync('git', ['-C', libocr, 'rev-parse', 'HEAD'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { /* not a git checkout */ }
  try { return fs.readFileSync(path.join(libocr, 'COMMIT'), 'utf8').trim(); } catch { return 'unknown (no git, no COMMIT file)'; }
})();
const pkg = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/@chainlink/contracts/package.json'), 'utf8'));
const pkg1 = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/@chainlink/contracts-1/package.json'), 'utf8'));
const pkg12 = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/@chainlink/contracts-1.2/package.json'), 'utf8'));
const vmPkg = JSON.parse(fs.readFileSync(path.join(here, 'node_modules/@ethereumjs/vm/package.json'), 'utf8'));
const header = [
  '# Receipt gas of the calls oraclesim meters, measured on the real contracts (tools/gas-calibration/README.md).',
  `# EVM: @ethereumjs/vm ${vmPkg.version}, hardfork ${HARDFORK}; gas price 30 gwei; legacy transactions.`,
  `# Optimizer: enabled, ${OPTIMIZER.runs} runs. Compilers: OffchainAggregator ${ocr1.version}; OCR2Aggregator ${ocr2.version}; FluxAggregator ${flux.version};`,
  `# LinkToken ${linkArt.version}; Operator and the consumer (ChainlinkClient, in calibrate.mjs) ${opArt.version}.`,
  `# Data Streams (llo-feeds v0.3.0: VerifierProxy, Verifier, FeeManager, RewardManager) and WETH9 ${streamsArts.verifier.version}.`,
  `# libocr: ${libocrCommit}; @chainlink/contracts ${pkg.version} (FluxAggregator, LinkToken) and ${pkg1.version} (Operator, ChainlinkClient, llo-feeds, WETH9).`,
  ...Object.entries({ ...Object.fromEntries(Object.entries(ocr1.hashes).map(([f, h]) => ['libocr/contract/' + f, h])),
                      ...Object.fromEntries(Object.entries(ocr2.hashes).map(([f, h]) => ['libocr/contract2/' + f, h])),
                      ...Object.fromEntries(Object.entries(flux.hashes).map(([f, h]) => ['@chainlink/contracts/src/v0.6/' + f, h])),
                      ...Object.fromEntries(Object.entries(linkArt.hashes).map(([f, h]) => ['@chainlink/contracts/src/v0.4/' + f, h])),
                      ...Object.fromEntries(Object.entries({ ...opArt.hashes, ...consumerArt.hashes,
                                                             ...Object.assign({}, ...Object.values(streamsArts).map((a) => a.hashes)) })
                        .map(([f, h]) => [`@chainlink/contracts@${pkg1.version}/src/v0.8/` + f, h])),
                      ...Object.fromEntries(Object.entries(Object.assign({}, ...Object.values(automationArts).map((a) => a.hashes)))
                        .map(([f, h]) => [`@chainlink/contracts@${pkg12.version}/src/v0.8/` + f, h])) })
    .filter(([f]) => !f.includes('/test') || f.endsWith('/WETH9.sol') || f.endsWith('/MockV3Aggregator.sol')).sort().map(([f, h]) => `# sha256 ${h} ${f}`),
  '# Columns: n oracles, f (OCR), nobs observations and nsig signatures (OCR transmit), k the submission\'s position in its',
  '# round (FluxAggregator submit: k = 1 starts the round, min = n/2 + 1 computes the first answer, n closes it).',
  '# VerifierProxy.verify of a v3 report with f + 1 = nsig signatures of n, by the path (streams_verify_nofee: no FeeManager;',
  '# _link: fee paid in LINK; _native: in wrapped native), k = 0 the feed\'s latest epoch, k = 1 a newer one (latestEpoch',
  '# written), after two earlier verifications. setConfig: the same n replaced, k = oracles replaced by new ones (0: the',
  '# same set), after reports under two earlier configurations. changeOracles_add / _remove: k oracles added to / removed',
  '# from n, after two full rounds.',
  `# AutomationRegistry2_3 (v2.3 of @chainlink/contracts ${pkg12.version}, ${automationArts.registry.version}; LINK the LinkToken above, ChainModuleBase,`,
  '# MockV3Aggregator feeds) transmit_log_perform: a report of k + 1 performs of one log-trigger upkeep (each its own',
  '# trigger) with nobs bytes of performData each, nsig = f + 1 signatures, after two earlier transmits of the shape; the',
  '# upkeep\'s target (PerformTarget, in calibrate.mjs) does two SSTOREs of changing values to written slots.',
  '# PerformTarget performUpkeep_direct: that target\'s performUpkeep with nobs bytes of performData, called from an EOA.',
  'contract,call,n,f,nobs,nsig,k,outcome,gas',
];
const body = rows.map((r) => [r.contract, r.call, r.n, r.f, r.nobs, r.nsig, r.k, r.outcome, r.gas].join(','));
fs.mkdirSync(path.dirname(out), { recursive: true });
const tmp = out + '.tmp';
fs.writeFileSync(tmp, header.concat(body).join('\n') + '\n');
fs.renameSync(tmp, out);
console.log(`${rows.length} rows -> ${out}`);
