-- Adds one article to the shared paragraph and article index, atomically: two deduper replicas adding
-- near-identical paragraphs at the same moment still yield exactly one original. Mirrors MemoryDedupIndex
-- (memory-index.ts) and similarity() (fingerprint.ts) decision for decision.
--
-- KEYS: gens, purge, forgotten, ready (under the prefix, see below) and the result key: the keys every call touches,
--   declared so that a Redis Cluster runs the call on the node that holds them. The generation keys are named from
--   the prefix inside the script; on a cluster the prefix carries a hash tag ({newsflow}), so they share that slot.
-- ARGV: prefix, url, paragraphThreshold, articleThreshold, paragraphBands, articleBands, paragraphMinHits,
--   articleMinHits (bands that must agree to make a candidate), retentionMs, paragraphCount, onlyWhenReady ('1': an
--   index without its ready mark, being rebuilt from the database, answers nil and adds nothing), then per paragraph
--   'x' (no words) | 'e', exactHash | 'm', signature, shingleCount, buckets; then for the article 'x' | 'm',
--   signature, shingleCount, buckets. Signatures are 128 bytes (the low byte of each MinHash value); buckets are
--   big-endian uint32 strings, one per band.
--
-- Layout, under the prefix, per generation g (a retention period's worth of entries; old ones expire as a whole):
--   ready:{fingerprint version} set once the index holds what the database does (RedisDedupIndex.markReady)
--   gens                        hash: g → "startMs bits"
--   purge                       list of expired generations whose keys the client deletes
--   forgotten                   sorted set: article URL pruned from storage → when (ms); never matched again,
--                               trimmed after twice the retention (no generation that held it is left by then)
--   g{g}:pseq, g{g}:docseq      id counters
--   g{g}:urls                   hash: docId → article URL
--   g{g}:exact                  hash: normalized-text hash of a short paragraph → docId(4) index(2)
--   g{g}:psig:{id >> 12}        string of 136-byte slots: signature(128) size(2) docId(4) index(2)
--   g{g}:asig:{docId >> 12}     string of 130-byte slots: signature(128) size(2)
--   g{g}:plsh:{band}:{top bits of bucket}, g{g}:alsh:…   hash: low 12 bits of bucket → 3-byte ids
-- A generation spreads its buckets over 2^bits hashes per band, sized so a hash holds about 64 entries and stays
-- in Redis's compact listpack encoding; a generation that outgrows that hands over to one with 16× the hashes.
-- Fields keep only 12 bits (a 3-byte listpack entry): two buckets sharing them in one hash only add a candidate,
-- which verification drops.
local gensKey, purgeKey, goneKey, readyKey, resultKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local prefix = ARGV[1]
local url = ARGV[2]
local paragraphThreshold = tonumber(ARGV[3])
local articleThreshold = tonumber(ARGV[4])
local paragraphBands = tonumber(ARGV[5])
local articleBands = tonumber(ARGV[6])
local paragraphMinHits = tonumber(ARGV[7])
local articleMinHits = tonumber(ARGV[8])
local retentionMs = tonumber(ARGV[9])
local paragraphCount = tonumber(ARGV[10])
local onlyWhenReady = ARGV[11] == '1'

local PERMUTATIONS = 128
local PARAGRAPH_SLOT = 136
local ARTICLE_SLOT = 130
local CHUNK = 4096
-- 2^10 hashes per band to start: 32k small keys (a few MiB) hold the first ~100k paragraphs compactly.
local MIN_BITS, MAX_BITS, GROWTH_BITS = 10, 18, 4
local MAX_IDS = 16777215
local RESULT_TTL_SECONDS = 86400

local cached = redis.call('GET', resultKey)
if cached then return cached end
if onlyWhenReady and redis.call('EXISTS', readyKey) == 0 then return false end

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
-- One generation per retention period: lookups touch at most two (plus any that filled up early), and an entry
-- stays findable for at least the retention and at most twice it.
local periodMs = retentionMs

local function capacity(bits) return math.min(MAX_IDS, 96 * 2 ^ bits) end
local function bitsFor(count)
  local bits = MIN_BITS
  while bits < MAX_BITS and 64 * 2 ^ bits < count do bits = bits + 1 end
  return bits
end

-- Generations, oldest first.
local gens = {}
local raw = redis.call('HGETALL', gensKey)
for i = 1, #raw, 2 do
  local start, bits = string.match(raw[i + 1], '(%d+) (%d+)')
  gens[#gens + 1] = { id = tonumber(raw[i]), start = tonumber(start), bits = tonumber(bits) }
end
table.sort(gens, function(a, b) return a.id < b.id end)

local current = gens[#gens]
-- Lua formats a number into a string with sprintf, on every concatenation and every number passed to redis.call:
-- each key and field is built once per call and kept.
local function gkey(gen)
  gen.key = gen.key or prefix .. ':g' .. gen.id
  return gen.key
end
local FIELD_SPLIT = 4096
local count = current and tonumber(redis.call('GET', gkey(current) .. ':pseq') or '0') or 0
if not current or now - current.start >= periodMs or count >= capacity(current.bits) then
  local bits = MIN_BITS
  if current and count >= capacity(current.bits) then bits = math.min(MAX_BITS, current.bits + GROWTH_BITS)
  elseif current then bits = bitsFor(count) end
  current = { id = (current and current.id or 0) + 1, start = now, bits = bits }
  redis.call('HSET', gensKey, current.id, current.start .. ' ' .. current.bits)
  gens[#gens + 1] = current
end

-- A generation expires once the one after it started more than the retention ago: all its entries are older.
local live = {}
for i, gen in ipairs(gens) do
  local following = gens[i + 1]
  if following and following.start <= now - retentionMs then
    redis.call('HDEL', gensKey, gen.id)
    redis.call('RPUSH', purgeKey, gen.id)
  else
    live[#live + 1] = gen
  end
end

local function estimateJaccard(same)
  return math.max(0, (same / PERMUTATIONS - 1 / 256) / (1 - 1 / 256))
end

-- `query` is the searched signature and a table for its bytes, unpacked ({string.byte(…)}) at the first candidate that
-- is not an exact copy and kept for the next: one C call per candidate instead of 256. Equal signatures (a copy,
-- the usual candidate of a republished paragraph) compare as strings, without unpacking or the loop.
local function similarity(query, sizeA, signatureB, sizeB)
  local same = PERMUTATIONS
  if string.sub(signatureB, 1, PERMUTATIONS) ~= query.signature then
    query.bytes = query.bytes or { string.byte(query.signature, 1, PERMUTATIONS) }
    local bytesA, bytesB = query.bytes, { string.byte(signatureB, 1, PERMUTATIONS) }
    same = 0
    for i = 1, PERMUTATIONS do
      if bytesA[i] == bytesB[i] then same = same + 1 end
    end
  end
  local jaccard = estimateJaccard(same)
  local intersection = (jaccard * (sizeA + sizeB)) / (1 + jaccard)
  local containment = math.min(1, intersection / math.min(sizeA, sizeB))
  return jaccard, math.max(jaccard, containment)
end

-- The URL of a generation's document, looked up once per call: a republished article's paragraphs all point at one.
local function urlOf(gen, doc)
  gen.urls = gen.urls or {}
  local known = gen.urls[doc]
  if known == nil then
    known = redis.call('HGET', gkey(gen) .. ':urls', doc)
    gen.urls[doc] = known
  end
  return known
end

-- An original whose article was pruned from storage (`newsflow prune`) no longer counts.
local anyGone = redis.call('EXISTS', goneKey) == 1
local function isGone(gen, docId)
  if not anyGone then return false end
  return redis.call('ZSCORE', goneKey, urlOf(gen, docId)) ~= false
end

-- An entry this URL left when it was added before (a redelivered job whose cached result expired): the article
-- must get the answer it got then, and never point at itself.
local docId
local function isEarlierSelf(gen, doc)
  if gen == current and doc == docId then return false end
  return urlOf(gen, doc) == url
end

local function bitsOf(gen, kind)
  if kind == 'a' then return math.max(4, gen.bits - GROWTH_BITS) end
  return gen.bits
end

-- Each band's key prefix and the divisor per generation and kind, computed once per call rather than once per band.
local function lshLayout(gen, kind, bands)
  gen.layouts = gen.layouts or {}
  local layout = gen.layouts[kind]
  if not layout then
    layout = { bandPrefixes = {}, divisor = 2 ^ (32 - bitsOf(gen, kind)) }
    for band = 1, bands do layout.bandPrefixes[band] = gkey(gen) .. ':' .. kind .. 'lsh:' .. (band - 1) .. ':' end
    gen.layouts[kind] = layout
  end
  return layout
end

local function slotOf(gen, kind, id)
  local size = kind == 'p' and PARAGRAPH_SLOT or ARTICLE_SLOT
  return gkey(gen) .. ':' .. kind .. 'sig:' .. math.floor(id / CHUNK), (id % CHUNK) * size, size
end

-- Among candidates (ids in at least `minHits` of the buckets) at or above the threshold, the one with the highest
-- Jaccard; ties go to the earliest. A candidate is verified as soon as its hits reach `minHits`, band by band, and
-- an exact copy (every signature byte equal: nothing can compare higher) ends the search: a republished paragraph
-- costs a few lookups, not one per band. Also returns the current generation's bucket keys, fields and contents, so
-- indexing (only ever after a search that went through every band) costs no second lookup.
local function findBest(kind, bands, minHits, signature, size, buckets, threshold)
  local best = nil
  local keys, fields, contents = {}, {}, {}
  local query = { signature = signature }
  for _, gen in ipairs(live) do
    local layout = lshLayout(gen, kind, bands)
    local isCurrent = gen == current
    local hits = {}
    for band = 1, bands do
      -- Read band by band: a copy is found in the first few.
      local bucket = struct.unpack('>I4', buckets, band * 4 - 3)
      local key = layout.bandPrefixes[band] .. math.floor(bucket / layout.divisor)
      local field = tostring(bucket % FIELD_SPLIT)
      local ids = redis.call('HGET', key, field)
      if isCurrent then keys[band], fields[band], contents[band] = key, field, ids or '' end
      if ids then
        for position = 1, #ids, 3 do
          local id = struct.unpack('>I3', ids, position)
          local count = (hits[id] or 0) + 1
          hits[id] = count
          if count == minHits then
            local slotKey, offset, slotSize = slotOf(gen, kind, id)
            local stored = redis.call('GETRANGE', slotKey, offset, offset + slotSize - 1)
            if #stored == slotSize then
              local storedSize = struct.unpack('>I2', stored, PERMUTATIONS + 1)
              if storedSize > 0 then
                local jaccard, score = similarity(query, size, stored, storedSize)
                local better = not best or jaccard > best.jaccard
                  or (best.gen == gen and jaccard == best.jaccard and id < best.id)
                if score >= threshold and better then
                  local docOf = kind == 'a' and id or struct.unpack('>I4', stored, PERMUTATIONS + 3)
                  if not isGone(gen, docOf) then
                    best = { gen = gen, id = id, jaccard = jaccard, score = score, stored = stored }
                    if jaccard >= 1 then return best, nil end
                  end
                end
              end
            end
          end
        end
      end
    end
  end
  return best, { keys = keys, fields = fields, contents = contents }
end

-- A bucket takes at most 21 ids (63 bytes): a longer value would turn its whole hash out of the compact listpack
-- encoding (hash-max-listpack-value 64). A bucket that full stands for a pair most paragraphs share; the other bands
-- still find a copy (BUCKET_CAPACITY in fingerprint.ts).
local BUCKET_BYTES = 63

local function addEntry(kind, id, currentBuckets, bands, record)
  local key, offset = slotOf(current, kind, id)
  redis.call('SETRANGE', key, offset, record)
  local packed = struct.pack('>I3', id)
  for band = 1, bands do
    local contents = currentBuckets.contents[band]
    if #contents + 3 <= BUCKET_BYTES then
      redis.call('HSET', currentBuckets.keys[band], currentBuckets.fields[band], contents .. packed)
    end
  end
end

docId = redis.call('INCR', gkey(current) .. ':docseq')
redis.call('HSET', gkey(current) .. ':urls', docId, url)

local paragraphs = {}
local arg = 12
for index = 0, paragraphCount - 1 do
  local kind = ARGV[arg]
  local match = cjson.null
  if kind == 'e' then
    local hash = ARGV[arg + 1]
    arg = arg + 2
    for _, gen in ipairs(live) do
      local original = redis.call('HGET', gkey(gen) .. ':exact', hash)
      if original and isGone(gen, (struct.unpack('>I4', original))) then original = nil end
      if original then
        local originalDoc, originalIndex = struct.unpack('>I4I2', original)
        if originalIndex == index and isEarlierSelf(gen, originalDoc) then
          match = false
        else
          match = { url = urlOf(gen, originalDoc), index = originalIndex, similarity = 1 }
        end
        break
      end
    end
    -- false: this very paragraph, indexed by an earlier add of this article; it stays an original.
    if match == cjson.null then redis.call('HSET', gkey(current) .. ':exact', hash, struct.pack('>I4I2', docId, index)) end
    if match == false then match = cjson.null end
  elseif kind == 'm' then
    local signature, size, buckets = ARGV[arg + 1], tonumber(ARGV[arg + 2]), ARGV[arg + 3]
    arg = arg + 4
    local best, currentBuckets = findBest('p', paragraphBands, paragraphMinHits, signature, size, buckets, paragraphThreshold)
    local originalDoc, originalIndex
    if best then originalDoc, originalIndex = struct.unpack('>I4I2', best.stored, PERMUTATIONS + 3) end
    if best and originalIndex == index and isEarlierSelf(best.gen, originalDoc) then
      -- This very paragraph, indexed by an earlier add of this article: it stays an original, indexed once.
    elseif best then
      match = { url = urlOf(best.gen, originalDoc), index = originalIndex, similarity = best.score }
    else
      local id = redis.call('INCR', gkey(current) .. ':pseq')
      addEntry('p', id, currentBuckets, paragraphBands, signature .. struct.pack('>I2I4I2', size, docId, index))
    end
  else
    arg = arg + 1
  end
  paragraphs[index + 1] = match
end

local duplicateOf = cjson.null
if ARGV[arg] == 'm' then
  local signature, size, buckets = ARGV[arg + 1], tonumber(ARGV[arg + 2]), ARGV[arg + 3]
  local best, currentBuckets = findBest('a', articleBands, articleMinHits, signature, size, buckets, articleThreshold)
  if best and isEarlierSelf(best.gen, best.id) then
    -- Indexed by an earlier add of this article: not a republication of itself.
  elseif best then
    duplicateOf = { url = urlOf(best.gen, best.id), similarity = best.score }
  else
    addEntry('a', docId, currentBuckets, articleBands, signature .. struct.pack('>I2', size))
  end
end

local result = cjson.encode({ paragraphs = paragraphs, duplicateOf = duplicateOf })
redis.call('SET', resultKey, result, 'EX', RESULT_TTL_SECONDS)
return result
