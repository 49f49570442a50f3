import CSystem
import Glibc
import MusterHTTP

/// Binds one non-blocking listening socket per event loop, all on the same
/// address with `SO_REUSEPORT`, so the kernel spreads new connections across loops.
enum ListeningSockets {
    static let backlog: Int32 = 1024

    /// Returns the sockets and the bound port (the kernel's choice when `port` is 0).
    static func bind(host: String, port: Int, count: Int) throws(HTTPServerError) -> (sockets: [Int32], port: Int) {
        var address = try resolve(host: host, port: port)
        // SO_REUSEPORT would also let this server join a group held by a stale
        // process of the same user; a plain bind first proves the port is free.
        if port != 0 { try probe(&address) }
        var sockets: [Int32] = []
        do {
            for _ in 0..<count {
                let socket = try open(&address)
                sockets.append(socket)
                if SocketAddress.port(of: address) == 0 { SocketAddress.setPort(try boundPort(socket), in: &address) }
            }
        } catch {
            for socket in sockets { close(socket) }
            throw error
        }
        return (sockets, SocketAddress.port(of: address))
    }

    private static func open(_ address: inout SocketAddress.Storage) throws(HTTPServerError) -> Int32 {
        let fd = socket(Int32(address.storage.ss_family), Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", errno) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, address.length) }
        }
        guard bound == 0, listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw .system("bind/listen on port \(SocketAddress.port(of: address))", code)
        }
        return fd
    }

    private static func probe(_ address: inout SocketAddress.Storage) throws(HTTPServerError) {
        let fd = socket(Int32(address.storage.ss_family), Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", errno) }
        defer { close(fd) }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, address.length) }
        }
        guard bound == 0 else { throw .system("bind to port \(SocketAddress.port(of: address))", errno) }
    }

    private static func boundPort(_ fd: Int32) throws(HTTPServerError) -> Int {
        var bound = SocketAddress.Storage()
        let result = withUnsafeMutablePointer(to: &bound.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &bound.length) }
        }
        guard result == 0 else { throw .system("getsockname", errno) }
        return SocketAddress.port(of: bound)
    }

    private static func resolve(host: String, port: Int) throws(HTTPServerError) -> SocketAddress.Storage {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var results: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &results)
        guard status == 0, let first = results else {
            throw HTTPServerError(operation: "resolve \(host): \(String(cString: gai_strerror(status)))", code: EINVAL)
        }
        defer { freeaddrinfo(results) }
        var address = SocketAddress.Storage()
        address.length = first.pointee.ai_addrlen
        withUnsafeMutableBytes(of: &address.storage) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: first.pointee.ai_addr, count: Int(first.pointee.ai_addrlen)))
        }
        return address
    }
}

/// IPv4 and IPv6 socket addresses: ports and printable peer addresses.
enum SocketAddress {
    struct Storage {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
    }

    static func port(of address: Storage) -> Int {
        withUnsafeBytes(of: address.storage) { raw in
            // sin_port and sin6_port sit at the same offset, in network order.
            Int(UInt16(bigEndian: raw.load(fromByteOffset: 2, as: UInt16.self)))
        }
    }

    static func setPort(_ port: Int, in address: inout Storage) {
        withUnsafeMutableBytes(of: &address.storage) { raw in
            raw.storeBytes(of: UInt16(port).bigEndian, toByteOffset: 2, as: UInt16.self)
        }
    }

    /// The address part only (`203.0.113.9`, `2001:db8::1`), as logged and rate-limited on.
    /// An IPv4 client of a dual-stack listener (`::ffff:203.0.113.9`) reads as plain IPv4.
    static func host(of address: Storage) -> String {
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = Int32(address.storage.ss_family)
        let printed: UnsafePointer<CChar>? = withUnsafeBytes(of: address.storage) { raw in
            switch family {
            case AF_INET:
                return inet_ntop(AF_INET, raw.baseAddress! + 4, &text, socklen_t(text.count))
            case AF_INET6 where raw[8..<18].allSatisfy { $0 == 0 } && raw[18] == 0xFF && raw[19] == 0xFF:
                return inet_ntop(AF_INET, raw.baseAddress! + 20, &text, socklen_t(text.count))
            case AF_INET6:
                return inet_ntop(AF_INET6, raw.baseAddress! + 8, &text, socklen_t(text.count))
            default:
                return nil
            }
        }
        guard printed != nil else { return "" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
