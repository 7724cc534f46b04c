import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../../core/config/app-config';
import { AppError } from '../../core/errors/app-error';
import { PasswordService } from '../../core/security/password.service';
import { EmployeeEntity } from '../org/entities/employee.entity';
import { OrganizationEntity } from '../org/entities/organization.entity';
import { EmployeesService } from '../org/services/employees.service';
import { OrganizationsService } from '../org/services/organizations.service';
import { LoginInput, SignUpInput } from './dto/auth.inputs';
import { LoginFailuresRepository } from './login-failures.repository';
import { TokenService } from './token.service';

export interface Session {
  token: string;
  employee: EmployeeEntity;
  organization: OrganizationEntity;
}

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly config: AppConfig,
    private readonly organizations: OrganizationsService,
    private readonly employees: EmployeesService,
    private readonly passwords: PasswordService,
    private readonly tokens: TokenService,
    private readonly failures: LoginFailuresRepository,
  ) {}

  async signUp(input: SignUpInput): Promise<Session> {
    const passwordHash = await this.passwords.hash(input.adminPassword);
    const { organization, admin } = await this.organizations.create({
      name: input.organizationName,
      slug: input.slug,
      timezone: input.timezone ?? undefined,
      admin: { name: input.adminName, email: input.adminEmail, passwordHash },
    });
    this.logger.log({ msg: 'organization created', orgId: organization.id });
    return { token: this.tokens.sign(admin.id, organization.id, admin.tokenVersion), employee: admin, organization };
  }

  /**
   * Checks the password; failures are counted per (organization, e-mail) and
   * per IP, and past the limits every attempt is RATE_LIMITED until the window
   * passes, right password or not. The answer never tells which part was wrong.
   */
  async login(input: LoginInput, ip: string): Promise<Session> {
    const slug = input.slug.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    const accountKey = `${slug}|${email}`;
    const window = this.config.loginFailureWindowSeconds;
    const counts = await this.failures.counts(accountKey, ip, window);
    if (counts.account >= this.config.loginMaxFailuresPerAccount || counts.ip >= this.config.loginMaxFailuresPerIp) {
      const retry = counts.oldest ? Math.max(1, Math.ceil((counts.oldest.getTime() + window * 1000 - Date.now()) / 1000)) : window;
      throw AppError.rateLimited('Too many failed logins; try again later', retry);
    }
    const organization = await this.organizations.findBySlug(slug);
    const employee = organization ? await this.employees.findByEmail(organization.id, email) : null;
    const ok = await this.passwords.verify(employee?.passwordHash, input.password);
    if (!organization || !employee || !ok) {
      await this.failures.record(accountKey, ip);
      throw AppError.unauthenticated('Wrong organization, e-mail or password');
    }
    if (employee.status !== 'ACTIVE') {
      throw AppError.unauthenticated(`This account is ${employee.status.toLowerCase()}`);
    }
    if (counts.account > 0) await this.failures.clearAccount(accountKey);
    return { token: this.tokens.sign(employee.id, organization.id, employee.tokenVersion), employee, organization };
  }
}
