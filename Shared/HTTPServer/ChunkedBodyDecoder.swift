import Glibc
import MusterHTTP

/// Decodes a chunked request body as bytes arrive (RFC 9112 §7.1).
///
/// Chunk extensions are checked against the grammar and ignored; trailer fields
/// are checked like header fields and dropped. A malformed size line, a missing
/// CRLF after chunk data, a bare LF or an oversized line is an error; the body
/// limit is enforced from each chunk's declared size, before its data is read.
package struct ChunkedBodyDecoder {
    package enum Outcome {
        case needMore
        case done
        case tooLarge
        case malformed(String)
    }

    private enum State {
        case sizeLine
        case data(remaining: Int)
        case dataEnd
        case trailers
        case done
    }

    /// The longest chunk-size line (size and extensions) accepted.
    static let maxSizeLineBytes = 4096

    private var state = State.sizeLine
    /// The line being collected, CRLF excluded.
    private var line: [UInt8] = []
    private var trailerBytes = 0
    private let maxTrailerBytes: Int

    package init(maxTrailerBytes: Int) {
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// Consumes what it can of `input`, appending chunk data to `body`.
    package mutating func decode(_ input: UnsafeBufferPointer<UInt8>, into body: inout [UInt8], limit: Int) -> (consumed: Int, outcome: Outcome) {
        var index = 0
        while true {
            switch state {
            case .done:
                return (index, .done)
            case .data(let remaining):
                let count = min(remaining, input.count - index)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<(index + count)]))
                index += count
                state = remaining == count ? .dataEnd : .data(remaining: remaining - count)
                if remaining != count { return (index, .needMore) }
            case .sizeLine, .dataEnd, .trailers:
                guard let lineFeed = findLineFeed(input, from: index) else {
                    line.append(contentsOf: UnsafeBufferPointer(rebasing: input[index...]))
                    return (input.count, line.count > lineLimit ? .malformed("A chunk line is too long.") : .needMore)
                }
                line.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<lineFeed]))
                index = lineFeed + 1
                guard line.last == 0x0D else { return (index, .malformed("Bare LF in the chunked body.")) }
                line.removeLast()
                guard line.count <= lineLimit else { return (index, .malformed("A chunk line is too long.")) }
                if let outcome = finishLine(bodyCount: body.count, limit: limit) { return (index, outcome) }
                line.removeAll(keepingCapacity: true)
            }
        }
    }

    private var lineLimit: Int {
        if case .trailers = state { return maxTrailerBytes }
        return Self.maxSizeLineBytes
    }

    private func findLineFeed(_ input: UnsafeBufferPointer<UInt8>, from index: Int) -> Int? {
        guard index < input.count, let base = input.baseAddress,
              let found = memchr(base + index, 0x0A, input.count - index) else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
    }

    /// Acts on one complete line; returns an outcome when decoding stops here.
    private mutating func finishLine(bodyCount: Int, limit: Int) -> Outcome? {
        switch state {
        case .sizeLine:
            guard let size = line.withUnsafeBufferPointer(ChunkSizeLine.size) else {
                return .malformed("Malformed chunk size line.")
            }
            if size == 0 {
                state = .trailers
            } else if size > limit - bodyCount {
                return .tooLarge
            } else {
                state = .data(remaining: size)
            }
        case .dataEnd:
            guard line.isEmpty else { return .malformed("Chunk data is not followed by CRLF.") }
            state = .sizeLine
        case .trailers:
            if line.isEmpty {
                state = .done
                return .done
            }
            trailerBytes += line.count + 2
            guard trailerBytes <= maxTrailerBytes else { return .malformed("The trailer section is too large.") }
            guard line.withUnsafeBufferPointer({ FieldLine.parse($0) }) != nil else {
                return .malformed("Malformed trailer field.")
            }
        case .data, .done:
            break
        }
        return nil
    }
}

/// `chunk-size [ chunk-ext ]`: hexadecimal digits, then
/// `*( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )`.
enum ChunkSizeLine {
    /// More hex digits than this is refused rather than risk overflow.
    static let maxDigits = 15

    static func size(_ line: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var size = 0
        while index < line.count, let digit = hexValue(line[index]) {
            guard index < maxDigits else { return nil }
            size = size << 4 | digit
            index += 1
        }
        guard index > 0, extensionsAreValid(line, from: index) else { return nil }
        return size
    }

    private static func extensionsAreValid(_ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var index = start
        func skipWhitespace() { while index < line.count, FieldLine.isWhitespace(line[index]) { index += 1 } }
        func skipToken() -> Bool {
            let first = index
            while index < line.count, HTTPHeaders.isTokenByte(line[index]) { index += 1 }
            return index > first
        }
        while index < line.count {
            skipWhitespace()
            guard index < line.count, line[index] == UInt8(ascii: ";") else { return false }
            index += 1
            skipWhitespace()
            guard skipToken() else { return false }
            skipWhitespace()
            guard index < line.count, line[index] == UInt8(ascii: "=") else { continue }
            index += 1
            skipWhitespace()
            if index < line.count, line[index] == UInt8(ascii: "\"") {
                guard let end = endOfQuotedString(line, from: index) else { return false }
                index = end
            } else if !skipToken() {
                return false
            }
        }
        return true
    }

    /// The index just past the closing quote of the quoted-string opening at `start`.
    private static func endOfQuotedString(_ line: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var index = start + 1
        while index < line.count {
            let byte = line[index]
            if byte == UInt8(ascii: "\"") { return index + 1 }
            if byte == UInt8(ascii: "\\") {
                index += 1
                guard index < line.count, FieldLine.isValueByte(line[index]) else { return nil }
            } else if !FieldLine.isValueByte(byte) {
                return nil
            }
            index += 1
        }
        return nil
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): Int(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): Int(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
