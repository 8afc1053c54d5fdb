-- Adds one article to the shared paragraph and article index, atomically: two deduper replicas adding
-- near-identical paragraphs at the same moment still yield exactly one original.
-- Mirrors MemoryDedupIndex (memory-index.ts) and similarity() (fingerprint.ts) decision for decision.
--
-- ARGV: prefix, url, paragraphThreshold, articleThreshold, bands, permutations, paragraphCount, then per paragraph
--   'x' (no words) | 'e', exactHash | 'm', signature, shingleCount, buckets; then for the article 'x' | 'm', ...
-- Signatures and buckets are big-endian uint32 arrays packed into strings.
-- Keys (all under the prefix): docs url→docId, urls docId→url, results docId→JSON, exact hash→(docId,index),
-- psig/asig id→signature..size..docId..index, pband:B:HI / aband:B:HI field LO → packed ids.
local prefix = ARGV[1]
local url = ARGV[2]
local paragraphThreshold = tonumber(ARGV[3])
local articleThreshold = tonumber(ARGV[4])
local bands = tonumber(ARGV[5])
local permutations = tonumber(ARGV[6])
local paragraphCount = tonumber(ARGV[7])
local signatureBytes = permutations * 4
-- Buckets are spread over hashes by their top 10 bits so each hash stays small (listpack-encoded).
local BUCKET_SPLIT = 4194304

local existing = redis.call('HGET', prefix .. ':docs', url)
if existing then
  return redis.call('HGET', prefix .. ':results', existing)
end
local docId = redis.call('INCR', prefix .. ':docseq')
redis.call('HSET', prefix .. ':docs', url, docId)
redis.call('HSET', prefix .. ':urls', docId, url)

local function similarity(signatureA, sizeA, signatureB, sizeB)
  local same = 0
  for i = 1, signatureBytes, 4 do
    if string.sub(signatureA, i, i + 3) == string.sub(signatureB, i, i + 3) then same = same + 1 end
  end
  local jaccard = same / permutations
  local intersection = (jaccard * (sizeA + sizeB)) / (1 + jaccard)
  local containment = math.min(1, intersection / math.min(sizeA, sizeB))
  return math.max(jaccard, containment)
end

local function bucketLocation(kind, band, buckets)
  local bucket = struct.unpack('>I4', buckets, band * 4 + 1)
  return prefix .. ':' .. kind .. 'band:' .. band .. ':' .. math.floor(bucket / BUCKET_SPLIT), bucket % BUCKET_SPLIT
end

-- The earliest indexed entry with the highest similarity at or above the threshold: id, similarity, stored value.
local function findBest(kind, signature, size, buckets, threshold)
  local seen, candidates = {}, {}
  for band = 0, bands - 1 do
    local key, field = bucketLocation(kind, band, buckets)
    local ids = redis.call('HGET', key, field)
    if ids then
      for position = 1, #ids, 4 do
        local id = struct.unpack('>I4', ids, position)
        if not seen[id] then
          seen[id] = true
          candidates[#candidates + 1] = id
        end
      end
    end
  end
  table.sort(candidates)
  local bestId, bestSimilarity, bestValue = nil, -1, nil
  for _, id in ipairs(candidates) do
    local stored = redis.call('HGET', prefix .. ':' .. kind .. 'sig', id)
    if stored then
      local storedSize = struct.unpack('>I4', stored, signatureBytes + 1)
      local value = similarity(signature, size, string.sub(stored, 1, signatureBytes), storedSize)
      if value > bestSimilarity then
        bestId, bestSimilarity, bestValue = id, value, stored
      end
    end
  end
  if bestId and bestSimilarity >= threshold then return bestId, bestSimilarity, bestValue end
  return nil
end

local function addEntry(kind, id, signature, size, buckets, index)
  redis.call('HSET', prefix .. ':' .. kind .. 'sig', id, signature .. struct.pack('>I4I4I4', size, docId, index))
  for band = 0, bands - 1 do
    local key, field = bucketLocation(kind, band, buckets)
    redis.call('HSET', key, field, (redis.call('HGET', key, field) or '') .. struct.pack('>I4', id))
  end
end

local paragraphs = {}
local arg = 8
for index = 0, paragraphCount - 1 do
  local kind = ARGV[arg]
  local match = cjson.null
  if kind == 'e' then
    local hash = ARGV[arg + 1]
    arg = arg + 2
    local original = redis.call('HGET', prefix .. ':exact', hash)
    if original then
      local originalDoc, originalIndex = struct.unpack('>I4I4', original)
      match = { url = redis.call('HGET', prefix .. ':urls', originalDoc), index = originalIndex, similarity = 1 }
    else
      redis.call('HSET', prefix .. ':exact', hash, struct.pack('>I4I4', docId, index))
    end
  elseif kind == 'm' then
    local signature, size, buckets = ARGV[arg + 1], tonumber(ARGV[arg + 2]), ARGV[arg + 3]
    arg = arg + 4
    local bestId, bestSimilarity, stored = findBest('p', signature, size, buckets, paragraphThreshold)
    if bestId then
      local originalDoc, originalIndex = struct.unpack('>I4I4', stored, signatureBytes + 5)
      match = { url = redis.call('HGET', prefix .. ':urls', originalDoc), index = originalIndex, similarity = bestSimilarity }
    else
      addEntry('p', redis.call('INCR', prefix .. ':pseq'), signature, size, buckets, index)
    end
  else
    arg = arg + 1
  end
  paragraphs[index + 1] = match
end

local duplicateOf = cjson.null
if ARGV[arg] == 'm' then
  local signature, size, buckets = ARGV[arg + 1], tonumber(ARGV[arg + 2]), ARGV[arg + 3]
  local bestId, bestSimilarity = findBest('a', signature, size, buckets, articleThreshold)
  if bestId then
    duplicateOf = { url = redis.call('HGET', prefix .. ':urls', bestId), similarity = bestSimilarity }
  else
    addEntry('a', docId, signature, size, buckets, 0)
  end
end

local result = cjson.encode({ paragraphs = paragraphs, duplicateOf = duplicateOf })
redis.call('HSET', prefix .. ':results', docId, result)
return result
