import DehubWeb
import HTTPTypes
import Hummingbird
import NIOCore

extension Response {
    /// A page of the web view as Hummingbird's response.
    init(_ answer: WebResponse) {
        var headers = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        self.init(
            status: HTTPResponse.Status(code: answer.status), headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
    }
}
